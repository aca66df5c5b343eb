import { execFile } from 'node:child_process';
import { once } from 'node:events';
import { createServer as createHttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { embeddedApps as apps, eventually, startEmbedded, stopEmbedded } from '@platform/testing';

/** The README's walkthrough, run as the README tells a user to run it. */
const walkthrough = join(__dirname, '../../../tools/walkthrough/orders.sh');

/** Places the README walkthrough's orders; returns its output. */
async function runWalkthrough(gateway: string): Promise<string> {
  const { stdout } = await promisify(execFile)('bash', [walkthrough, gateway], { timeout: 120_000 });
  return stdout;
}

describe('the embedded profile (npm start)', () => {
  jest.setTimeout(180_000);

  it('when started, then every app answers on its own port, and SIGINT stops the process cleanly', async () => {
    const platform = await startEmbedded({ LOG_LEVEL: 'warn' });
    try {
      const output = await platform.waitForOutput('the platform is up');
      for (const app of apps)
        expect(output).toContain(`${app.padEnd(22)} http://127.0.0.1:${platform.ports[app]}`);

      // Probes and scrapes go to the gateway's operations port; its public port does not serve them.
      expect((await fetch(`${platform.gatewayOperations}/healthz`)).status).toBe(200);
      expect((await fetch(`${platform.gateway}/healthz`)).status).toBe(404);
      // The seeded demo catalogue, through the gateway: the apps reach each other in one process.
      const catalogue = await fetch(`${platform.gateway}/api/products`);
      expect(catalogue.status).toBe(200);
      expect(((await catalogue.json()) as { items: unknown[] }).items.length).toBeGreaterThan(0);
      const notifications = await fetch(`${platform.gateway}/api/notifications`);
      expect(notifications.status).toBe(401);

      const unknown = await fetch(`${platform.gateway}/api/nothing-here`);
      expect(unknown.status).toBe(404);
      expect(unknown.headers.get('x-trace-id')).toMatch(/^[0-9a-f]{32}$/);

      // Register, log in, order with a key twice (approved, declined), follow each order's stream.
      const stdout = await runWalkthrough(platform.gateway);
      expect(stdout).toMatch(/POST \/api\/orders \(tok_visa\): HTTP\/1.1 202/);
      expect(stdout).toContain('idempotent-replayed: true');
      expect(stdout).toMatch(/"status":"CONFIRMED"/);
      expect(stdout).toMatch(/"status":"CANCELLED","failureReason":"PAYMENT_DECLINED"/);
      // 100 seeded, 2 sold to the approved order, the declined order's 2 released again.
      expect([...stdout.matchAll(/available: (\d+)/g)].map(([, units]) => Number(units))).toEqual([
        100, 98, 98,
      ]);
      expect(stdout.match(/ORDER_CONFIRMED/g)).toHaveLength(1);
      expect(stdout.match(/ORDER_CANCELLED/g)).toHaveLength(1);

      expect(await stopEmbedded(platform)).toBe(0);
    } finally {
      if (platform.child.exitCode === null) platform.child.kill('SIGKILL');
    }
  });

  it('when an order goes through gateway → order → inventory, then each app logs and traces under its own name', async () => {
    const collector = await startOtlpCollector();
    const platform = await startEmbedded({
      LOG_LEVEL: 'info',
      LOG_FORMAT: 'json',
      OTEL_EXPORTER_OTLP_ENDPOINT: collector.url,
    });
    try {
      await platform.waitForOutput('the platform is up');
      const walkthrough = await runWalkthrough(platform.gateway);
      const traceId = /\(tok_visa\): .* trace ([0-9a-f]{32})/.exec(walkthrough)?.[1] ?? 'none printed';
      expect(traceId).toMatch(/^[0-9a-f]{32}$/);

      // The order's request, as each app logged it: one JSON line each, named after the app.
      const lines = platform
        .output()
        .split('\n')
        .filter((line) => line.startsWith('{'))
        .map((line) => JSON.parse(line) as Record<string, unknown>);
      const requestLinesOfTrace = lines
        .filter((line) => line['trace_id'] === traceId && typeof line['responseTime'] === 'number')
        .map((line) => `${String(line['name'])}: ${String(line['msg'])}`);
      expect(requestLinesOfTrace).toEqual(
        expect.arrayContaining([
          expect.stringMatching(/^gateway: POST \/api\/orders 202 \d+ ms$/),
          expect.stringMatching(/^order: POST \/api\/orders 202 \d+ ms$/),
          expect.stringMatching(/^inventory: GET \/api\/products\/TEA-GREEN 200 \d+ ms$/),
        ]),
      );
      // Nest's route tables and module initialisation are debug, not info.
      expect(
        lines.filter((line) => ['RouterExplorer', 'InstanceLoader'].includes(String(line['context']))),
      ).toEqual([]);

      // Its spans, as exported over OTLP: under each app's service.name, none under the process's.
      const servicesOfTrace = await collector.servicesOf(traceId, [
        'gateway',
        'order',
        'inventory',
        'payment',
      ]);
      expect(servicesOfTrace).not.toContain('platform-embedded');
    } finally {
      await stopEmbedded(platform);
      await collector.close();
    }
  });

  it('when logs go to a person (LOG_FORMAT=pretty), then the banner ends the start-up and each request is one readable line', async () => {
    const platform = await startEmbedded({ LOG_LEVEL: 'info', LOG_FORMAT: 'pretty' });
    try {
      const startup = await platform.waitForOutput('the platform is up');
      expect(startup.trimEnd().split('\n').at(-1)).toMatch(/^embedded: the platform is up/);
      await fetch(`${platform.gateway}/api/products`);
      const requestLine = /^.*gateway .*GET \/api\/products 200.*$/m;
      const line = requestLine.exec(stripColours(await platform.waitForOutput(requestLine)))?.[0];
      expect(line).toMatch(
        /^\[\d\d:\d\d:\d\d\.\d{3}\] INFO: gateway +GET \/api\/products 200 \d+ ms {2}trace [0-9a-f]{32}$/,
      );
    } finally {
      await stopEmbedded(platform);
    }
  });
});

function stripColours(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/\u001b\[[0-9;]*m/g, '');
}

interface OtlpCollector {
  url: string;
  /** The services that exported spans of `traceId`, once each of `expected` has. */
  servicesOf(traceId: string, expected: string[]): Promise<string[]>;
  close(): Promise<void>;
}

/** A stand-in OTLP/HTTP collector: keeps the service.name of each exported span, by trace id. */
async function startOtlpCollector(): Promise<OtlpCollector> {
  const services = new Map<string, Set<string>>();
  const server = createHttpServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      const { resourceSpans = [] } = JSON.parse(body || '{}') as { resourceSpans?: OtlpResourceSpans[] };
      for (const { resource, scopeSpans = [] } of resourceSpans) {
        const service = resource?.attributes?.find(({ key }) => key === 'service.name')?.value.stringValue;
        for (const { spans = [] } of scopeSpans)
          for (const { traceId } of spans) {
            const ofTrace = services.get(traceId) ?? new Set<string>();
            services.set(traceId, ofTrace.add(String(service)));
          }
      }
      response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  }).listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    servicesOf: (traceId, expected) =>
      eventually(async () => {
        const seen = [...(services.get(traceId) ?? [])];
        return expected.every((service) => seen.includes(service)) ? seen.sort() : undefined;
      }, 60_000),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

interface OtlpResourceSpans {
  resource?: { attributes?: { key: string; value: { stringValue?: string } }[] };
  scopeSpans?: { spans?: { traceId: string }[] }[];
}
