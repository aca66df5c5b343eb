import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { join } from 'node:path';

const runner = join(__dirname, '../../../dist/apps/embedded/src/main.js');

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
  jest.setTimeout(60_000);

  it('when started, then every app answers on its own port, and SIGINT stops the process cleanly', async () => {
    const [gatewayPort, authPort, inventoryPort, notificationPort, providerPort] = [
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

      child.kill('SIGINT');
      const [code] = await once(child, 'exit');
      expect(code).toBe(0);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });
});
