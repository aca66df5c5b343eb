import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';

const runner = join(__dirname, '../../../dist/apps/embedded/src/main.js');
/** The README's walkthrough, run as the README tells a user to run it. */
const walkthrough = join(__dirname, '../../../tools/walkthrough/orders.sh');

async function freePort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  server.close();
  return port;
}

/** Resolves with everything printed once `marker` appears on stdout. */
function waitForOutput(child: ChildProcess, marker: string, timeoutMs = 30_000): Promise<string> {
  return new Promise((resolve, reject) => {
    let output = '';
    const timer = setTimeout(
      () => reject(new Error(`no "${marker}" within ${timeoutMs} ms:\n${output}`)),
      timeoutMs,
    );
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes(marker)) {
        clearTimeout(timer);
        resolve(output);
      }
    });
    child.once('exit', (code) =>
      reject(new Error(`runner exited with ${code} before "${marker}":\n${output}`)),
    );
  });
}

describe('the embedded profile (npm start)', () => {
  jest.setTimeout(180_000);

  it('when started, then every app answers on its own port, and SIGINT stops the process cleanly', async () => {
    const [gatewayPort, authPort, inventoryPort, notificationPort, providerPort, paymentPort, orderPort] = [
      await freePort(),
      await freePort(),
      await freePort(),
      await freePort(),
      await freePort(),
      await freePort(),
      await freePort(),
    ];
    const child = spawn(process.execPath, [runner], {
      env: {
        ...process.env,
        GATEWAY_PORT: String(gatewayPort),
        AUTH_PORT: String(authPort),
        AUTH_URL: `http://127.0.0.1:${authPort}`,
        INVENTORY_PORT: String(inventoryPort),
        INVENTORY_URL: `http://127.0.0.1:${inventoryPort}`,
        NOTIFICATION_PORT: String(notificationPort),
        NOTIFICATION_URL: `http://127.0.0.1:${notificationPort}`,
        PAYMENT_PROVIDER_SIM_PORT: String(providerPort),
        PROVIDER_URL: `http://127.0.0.1:${providerPort}`,
        PAYMENT_PORT: String(paymentPort),
        PAYMENT_URL: `http://127.0.0.1:${paymentPort}`,
        ORDER_PORT: String(orderPort),
        ORDER_URL: `http://127.0.0.1:${orderPort}`,
        LOG_LEVEL: 'warn',
        PORT: '1',
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    try {
      const output = await waitForOutput(child, 'the platform is up');
      expect(output).toContain(`gateway                http://127.0.0.1:${gatewayPort}`);
      expect(output).toContain(`auth                   http://127.0.0.1:${authPort}`);
      expect(output).toContain(`inventory              http://127.0.0.1:${inventoryPort}`);
      expect(output).toContain(`notification           http://127.0.0.1:${notificationPort}`);
      expect(output).toContain(`payment-provider-sim   http://127.0.0.1:${providerPort}`);
      expect(output).toContain(`payment                http://127.0.0.1:${paymentPort}`);
      expect(output).toContain(`order                  http://127.0.0.1:${orderPort}`);

      const health = await fetch(`http://127.0.0.1:${gatewayPort}/healthz`);
      expect(health.status).toBe(200);
      // The seeded demo catalogue, through the gateway: the apps reach each other in one process.
      const catalogue = await fetch(`http://127.0.0.1:${gatewayPort}/api/products`);
      expect(catalogue.status).toBe(200);
      expect(((await catalogue.json()) as { items: unknown[] }).items.length).toBeGreaterThan(0);
      const notifications = await fetch(`http://127.0.0.1:${gatewayPort}/api/notifications`);
      expect(notifications.status).toBe(401);

      const unknown = await fetch(`http://127.0.0.1:${gatewayPort}/api/nothing-here`);
      expect(unknown.status).toBe(404);
      expect(unknown.headers.get('x-trace-id')).toMatch(/^[0-9a-f]{32}$/);

      // Register, log in, order with a key twice (approved, declined), follow each order's stream.
      const { stdout } = await promisify(execFile)('bash', [walkthrough, `http://127.0.0.1:${gatewayPort}`], {
        timeout: 120_000,
      });
      expect(stdout).toMatch(/POST \/api\/orders \(tok_visa\): HTTP\/1.1 202/);
      expect(stdout).toContain('idempotent-replayed: true');
      expect(stdout).toMatch(/"status":"CONFIRMED"/);
      expect(stdout).toMatch(/"status":"CANCELLED","failureReason":"PAYMENT_DECLINED"/);
      // 100 seeded, 2 sold to the approved order, the declined order's 2 released again.
      expect([...stdout.matchAll(/available: (\d+)/g)].map(([, units]) => Number(units))).toEqual([100, 98, 98]);
      expect(stdout.match(/ORDER_CONFIRMED/g)).toHaveLength(1);
      expect(stdout.match(/ORDER_CANCELLED/g)).toHaveLength(1);

      child.kill('SIGINT');
      const [code] = await once(child, 'exit');
      expect(code).toBe(0);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });
});
