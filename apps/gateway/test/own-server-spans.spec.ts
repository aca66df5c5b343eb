import type { TraceSpan } from '@platform/observability/tracing';
import { recentTraces, startTracing, stopTracing } from '@platform/observability/tracing';
import type { FakeUpstream } from './support/fake-upstream';
import type { RunningGateway } from './support/gateway';

/**
 * The gateway as main.ts starts its tracing: the http instrumentation starts no server spans
 * (`httpServerSpans: false`), the gateway's request listener does (serveInServerSpan). The
 * instrumentation's http patch is not applied here at all, so every server span below is the
 * gateway's own; the undici instrumentation (diagnostics channels) makes the client spans.
 */
jest.setTimeout(30_000);

describe("the gateway's own server spans", () => {
  let inventory: FakeUpstream;
  let gateway: RunningGateway;
  let rawRequest: typeof import('./support/fake-upstream').rawRequest;
  beforeAll(async () => {
    startTracing({ serviceName: 'gateway-test', keepRecentTraces: true, httpServerSpans: false });
    const { startFakeUpstream, rawRequest: send } = await import('./support/fake-upstream');
    rawRequest = send;
    const { startGateway } = await import('./support/gateway');
    inventory = await startFakeUpstream();
    gateway = await startGateway({ INVENTORY_URL: inventory.url });
  });
  afterAll(async () => {
    await gateway.close();
    await inventory.close();
    await stopTracing();
  });

  /** The trace's spans once `count` of them have ended (a server span ends when its response closes). */
  const spansOf = async (traceId: string, count: number): Promise<TraceSpan[]> => {
    const deadline = Date.now() + 10_000;
    for (;;) {
      const spans = recentTraces()?.find(traceId) ?? [];
      if (spans.length >= count) return spans;
      if (Date.now() > deadline)
        throw new Error(`trace ${traceId}: ${spans.length} of ${count} spans ended within 10 s`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  };

  describe('when a proxied request comes with the caller’s traceparent', () => {
    it("then the gateway's server span is a child of the caller's span, named after the route, and the parent of the call upstream", async () => {
      const traceId = '0af7651916cd43dd8448eb211c80319c';
      const callerSpanId = 'b7ad6b7169203331';
      // node:http, which nothing patches here: fetch's own client span would replace the traceparent.
      const response = await rawRequest(gateway.baseUrl, '/api/products/TEA-GREEN', {
        traceparent: `00-${traceId}-${callerSpanId}-01`,
      });
      expect(response.status).toBe(200);
      expect(response.headers['x-trace-id']).toBe(traceId);

      const spans = await spansOf(traceId, 2);
      const server = spans.find((span) => span.kind === 'server');
      expect(server).toMatchObject({ parentSpanId: callerSpanId, name: 'GET /api/products/{sku}' });
      const client = spans.find((span) => span.kind === 'client');
      expect(client?.parentSpanId).toBe(server?.spanId);
      const [, upstreamTraceId, upstreamParentId] = String(
        inventory.received.at(-1)?.headers['traceparent'],
      ).split('-');
      expect({ upstreamTraceId, upstreamParentId }).toEqual({
        upstreamTraceId: traceId,
        upstreamParentId: client?.spanId,
      });
    });
  });

  describe('when the upstream answers 503', () => {
    it('then the server span is an error', async () => {
      inventory.answerWith((_request, response) => response.writeHead(503).end());
      try {
        const response = await fetch(`${gateway.baseUrl}/api/products/TEA-GREEN`);
        expect(response.status).toBe(503);
        const spans = await spansOf(String(response.headers.get('x-trace-id')), 2);
        expect(spans.find((span) => span.kind === 'server')).toMatchObject({
          name: 'GET /api/products/{sku}',
          error: true,
        });
      } finally {
        inventory.answerWith((request, response) => {
          response.writeHead(200, { 'content-type': 'application/json' });
          response.end(JSON.stringify({ url: request.url }));
        });
      }
    });
  });

  describe('when the Nest app answers (a path the route table does not forward)', () => {
    it('then that request has its server span too', async () => {
      const response = await fetch(`${gateway.baseUrl}/api/traces/0af7651916cd43dd8448eb211c80319d`);
      const spans = await spansOf(String(response.headers.get('x-trace-id')), 1);
      expect(spans.filter((span) => span.kind === 'server').map((span) => span.name)).toEqual([
        expect.stringMatching(/^GET \/api\/traces\//),
      ]);
    });
  });
});
