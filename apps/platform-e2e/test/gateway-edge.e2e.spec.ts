import { randomBytes } from 'node:crypto';
import { request } from 'undici';
import {
  eventually,
  fetchJaegerTrace,
  requireInfrastructure,
  servicesOf,
  startServiceProcess,
  type ServiceProcess,
} from '@platform/testing';
import { jaegerQueryUrl, otlpEndpoint, unthrottled } from './connection';

/**
 * The gateway as its own process, exporting traces to the real Jaeger, called with a real HTTP
 * client (undici): the edge conventions of docs/api.md#conventions that need no other service.
 */
describe('the gateway at the edge', () => {
  let gateway: ServiceProcess;

  beforeAll(async () => {
    await requireInfrastructure(`Jaeger at ${jaegerQueryUrl}`, () => fetch(`${jaegerQueryUrl}/api/services`));
    gateway = await startServiceProcess('gateway', {
      ...unthrottled,
      OTEL_EXPORTER_OTLP_ENDPOINT: otlpEndpoint,
      PROFILE: 'local',
    });
  });
  afterAll(async () => {
    expect(await gateway.stop('SIGTERM')).toBe(0);
  });

  const call = (path: string, options: Parameters<typeof request>[1] = {}) =>
    request(`${gateway.baseUrl}${path}`, options);

  describe('when a client calls an unknown route', () => {
    it('then the trace id of X-Trace-Id is found in Jaeger with the gateway spans', async () => {
      const response = await call('/api/no-such-thing');
      expect(response.statusCode).toBe(404);
      expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
      const traceId = String(response.headers['x-trace-id']);
      expect(traceId).toMatch(/^[0-9a-f]{32}$/);
      expect(await response.body.json()).toMatchObject({ status: 404, traceId });

      const stored = await eventually(() => fetchJaegerTrace(jaegerQueryUrl, traceId), 20_000, 300);
      expect(servicesOf(stored)).toContain('gateway');
      const serverSpan = stored.spans.find((span) =>
        span.tags.some((tag) => tag.key === 'span.kind' && tag.value === 'server'),
      );
      expect(serverSpan?.operationName).toMatch(/^GET/);
    });
  });

  describe('when a client calls a route of the table', () => {
    it('then its server span is named after the route pattern, not the path, and carries it as http.route', async () => {
      // No inventory runs beside this gateway: the answer is a 503, and the span is named all the same.
      const response = await call('/api/products/E2E-NO-SUCH-SKU');
      await response.body.dump();
      const traceId = String(response.headers['x-trace-id']);

      const stored = await eventually(() => fetchJaegerTrace(jaegerQueryUrl, traceId), 20_000, 300);
      const serverSpan = stored.spans.find((span) =>
        span.tags.some((tag) => tag.key === 'span.kind' && tag.value === 'server'),
      );
      expect(serverSpan?.operationName).toBe('GET /api/products/{sku}');
      expect(serverSpan?.tags).toContainEqual(
        expect.objectContaining({ key: 'http.route', value: '/api/products/{sku}' }),
      );
    });
  });

  describe('when a client sends a W3C traceparent', () => {
    it('then the gateway joins that trace: X-Trace-Id is its trace id and the server span is a child of the caller span', async () => {
      const traceId = randomBytes(16).toString('hex');
      const callerSpanId = randomBytes(8).toString('hex');
      const response = await call('/api/still-nothing', {
        headers: { traceparent: `00-${traceId}-${callerSpanId}-01` },
      });
      await response.body.dump();
      expect(response.headers['x-trace-id']).toBe(traceId);

      const stored = await eventually(() => fetchJaegerTrace(jaegerQueryUrl, traceId), 20_000, 300);
      const childOfCaller = stored.spans.find((span) =>
        span.references.some((reference) => reference.spanID === callerSpanId),
      );
      expect(childOfCaller).toBeDefined();
    });
  });

  // Bodies are read only for a route of the table, once the request is admitted: an unknown path is a 404 unread.
  describe('when a client sends a bad body to a route of the public API', () => {
    it('then malformed JSON answers 400 problem+json without parser details', async () => {
      const response = await call('/api/auth/login', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{"email": "a@b.c",',
      });
      expect(response.statusCode).toBe(400);
      expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
      const text = await response.body.text();
      expect(text).not.toMatch(/Unexpected|SyntaxError|at .*\.js/);
    });

    it('then a body over 64 KiB answers 413 problem+json', async () => {
      const response = await call('/api/auth/login', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ blob: 'x'.repeat(65 * 1024) }),
      });
      expect(response.statusCode).toBe(413);
      expect(await response.body.json()).toMatchObject({ status: 413, title: 'Payload Too Large' });
    });
  });

  describe('when a client sends X-Request-Id', () => {
    it('then every response echoes it', async () => {
      const response = await call('/api/products', { headers: { 'x-request-id': 'e2e-request-7' } });
      await response.body.dump();
      expect(response.headers['x-request-id']).toBe('e2e-request-7');
    });
  });
});

describe('the gateway process', () => {
  it('when its configuration is invalid, then it stops at once naming the variable', async () => {
    await expect(
      startServiceProcess('gateway', { LOG_LEVEL: 'very-loud' }, { timeoutMs: 10_000 }),
    ).rejects.toThrow(/exited with 1[\s\S]*LOG_LEVEL/);
  });
});
