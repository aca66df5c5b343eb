import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';
import { eventually, startEmbedded, stopEmbedded } from '@platform/testing';

interface TokenPair {
  accessToken: string;
  refreshToken: string;
}

/**
 * A stand-in OTLP/HTTP collector that keeps every export as received: the test searches the raw
 * text, every span attribute and event included, not a parsed subset of it.
 */
async function startRawCollector() {
  const exports: string[] = [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = Buffer.concat(chunks);
      exports.push((request.headers['content-encoding'] === 'gzip' ? gunzipSync(body) : body).toString());
      response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  }).listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    text: () => exports.join('\n'),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/**
 * "Passwords, tokens and card tokens never appear in logs or traces": a whole order through the
 * embedded platform, every log line (JSON, debug level) and every exported span captured, then
 * searched for each secret the customer handed over or was handed.
 */
describe('secrets in logs and traces (the embedded platform)', () => {
  jest.setTimeout(180_000);

  it('when a customer registers, logs in, refreshes and orders with a card token, then no secret appears in any log line or span', async () => {
    const collector = await startRawCollector();
    const platform = await startEmbedded({
      LOG_LEVEL: 'debug',
      LOG_FORMAT: 'json',
      OTEL_EXPORTER_OTLP_ENDPOINT: collector.url,
    });
    try {
      await platform.waitForOutput('the platform is up');
      const api = async (
        method: string,
        path: string,
        body?: unknown,
        headers: Record<string, string> = {},
      ) => {
        const response = await fetch(`${platform.gateway}${path}`, {
          method,
          headers: { 'content-type': 'application/json', ...headers },
          ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        });
        return {
          status: response.status,
          headers: response.headers,
          body: (await response.json()) as unknown,
        };
      };

      const email = `leak-check-${randomUUID()}@example.com`;
      const password = `canary-password-${randomUUID()}`;
      const wrongPassword = `canary-wrong-password-${randomUUID()}`;
      const cardToken = 'tok_visa';
      expect((await api('POST', '/api/auth/register', { email, password, name: 'Leak Check' })).status).toBe(
        201,
      );
      expect((await api('POST', '/api/auth/login', { email, password: wrongPassword })).status).toBe(401);
      const login = await api('POST', '/api/auth/login', { email, password });
      expect(login.status).toBe(200);
      const first = login.body as TokenPair;
      const refreshed = await api('POST', '/api/auth/refresh', { refreshToken: first.refreshToken });
      expect(refreshed.status).toBe(200);
      const second = refreshed.body as TokenPair;

      const authorization = { authorization: `Bearer ${second.accessToken}` };
      const placed = await api(
        'POST',
        '/api/orders',
        { items: [{ sku: 'TEA-GREEN', quantity: 1 }], paymentMethod: cardToken },
        { ...authorization, 'idempotency-key': randomUUID() },
      );
      expect(placed.status).toBe(202);
      const { orderId } = placed.body as { orderId: string };
      const traceId = placed.headers.get('x-trace-id') ?? 'no trace id';
      const final = await eventually(async () => {
        const { body } = await api('GET', `/api/orders/${orderId}`, undefined, authorization);
        const { status } = body as { status: string };
        return ['CONFIRMED', 'CANCELLED'].includes(status) ? status : undefined;
      }, 60_000);
      expect(final).toBe('CONFIRMED');
      // The card token went as far as the provider: the payment's spans of this order have arrived.
      await eventually(
        async () =>
          collector.text().includes(traceId) && /"payment"/.test(collector.text()) ? true : undefined,
        60_000,
      );
      // Stopping flushes what is still buffered: the last log lines and spans are searched too.
      expect(await stopEmbedded(platform)).toBe(0);

      const logs = platform.output();
      const spans = collector.text();
      // What was captured is the order's story, not an empty page that would hide nothing.
      expect(logs).toMatch(/POST \/api\/orders 202/);
      expect(logs).toContain(orderId);
      expect(spans).toContain(traceId);

      const secrets = {
        password,
        'the wrong password': wrongPassword,
        'the first access token': first.accessToken,
        'the refreshed access token': second.accessToken,
        // A JWT's signature alone is enough to show the token was written down.
        'a signature of an access token': first.accessToken.split('.')[2] ?? first.accessToken,
        'the first refresh token': first.refreshToken,
        'the refreshed refresh token': second.refreshToken,
        'the card token': cardToken,
      };
      const leaks = Object.entries(secrets).flatMap(([name, secret]) => [
        ...(logs.includes(secret) ? [`${name} in the logs: ${lineHolding(logs, secret)}`] : []),
        ...(spans.includes(secret) ? [`${name} in the spans: ${lineHolding(spans, secret)}`] : []),
      ]);
      expect(leaks).toEqual([]);
    } finally {
      if (platform.child.exitCode === null) await stopEmbedded(platform);
      await collector.close();
    }
  });
});

/** Where a secret was found, for the failure message: the text around it, the secret masked. */
function lineHolding(text: string, secret: string): string {
  const at = text.indexOf(secret);
  return text.slice(Math.max(0, at - 300), at + secret.length + 100).replaceAll(secret, '«SECRET»');
}
