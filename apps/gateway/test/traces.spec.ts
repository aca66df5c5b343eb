import { type TestSigningKey, createTestSigningKey } from '@platform/auth/testing';
import { type FakeUpstream, answer, startFakeUpstream } from './support/fake-upstream';
import { startGateway, type RunningGateway } from './support/gateway';

const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';

/** Jaeger's answer for a trace of two spans: the gateway's request and the order service's, its child. */
const jaegerTrace = {
  data: [
    {
      traceID: traceId,
      spans: [
        {
          spanID: 'b',
          operationName: 'POST /api/orders',
          processID: 'p2',
          startTime: 1_000_500,
          duration: 3000,
          references: [{ refType: 'CHILD_OF', traceID: traceId, spanID: 'a' }],
          tags: [{ key: 'span.kind', value: 'server' }],
        },
        {
          spanID: 'a',
          operationName: 'POST',
          processID: 'p1',
          startTime: 1_000_000,
          duration: 5000,
          references: [],
          tags: [
            { key: 'span.kind', value: 'server' },
            { key: 'url.path', value: '/api/orders' },
            { key: 'error', value: true },
          ],
        },
      ],
      processes: { p1: { serviceName: 'gateway' }, p2: { serviceName: 'order' } },
    },
  ],
};

describe('GET /api/traces/{traceId} (the storefront’s trace view), read from Jaeger', () => {
  let signingKey: TestSigningKey;
  let auth: FakeUpstream;
  let jaeger: FakeUpstream;
  let gateway: RunningGateway;
  let token: string;
  beforeAll(async () => {
    signingKey = await createTestSigningKey('gateway-test-key');
    token = await signingKey.sign({ sub: 'customer-1', roles: ['customer'] });
    auth = await startFakeUpstream((_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ keys: [signingKey.publicJwk] }));
    });
    jaeger = await startFakeUpstream(answer(200, jaegerTrace));
    gateway = await startGateway({ AUTH_URL: auth.url, JAEGER_QUERY_URL: jaeger.url });
  });
  afterAll(async () => {
    await gateway.close();
    await Promise.all([auth.close(), jaeger.close()]);
  });

  const get = (id: string, headers: Record<string, string> = { authorization: `Bearer ${token}` }) =>
    fetch(`${gateway.baseUrl}/api/traces/${id}`, { headers });

  it('when a signed-in caller asks, then it gets the spans by start time, with service, parent, kind and error', async () => {
    jaeger.answerWith(answer(200, jaegerTrace));
    const response = await get(traceId);
    expect(response.status).toBe(200);
    expect(jaeger.received.at(-1)?.url).toBe(`/api/traces/${traceId}`);
    expect(await response.json()).toEqual({
      traceId,
      spans: [
        {
          spanId: 'a',
          parentSpanId: null,
          service: 'gateway',
          name: 'POST /api/orders',
          kind: 'server',
          startMicros: 1_000_000,
          durationMicros: 5000,
          error: true,
        },
        {
          spanId: 'b',
          parentSpanId: 'a',
          service: 'order',
          name: 'POST /api/orders',
          kind: 'server',
          startMicros: 1_000_500,
          durationMicros: 3000,
          error: false,
        },
      ],
    });
  });

  it('when the caller is not signed in, then 401, and Jaeger is not asked', async () => {
    const before = jaeger.received.length;
    expect((await get(traceId, {})).status).toBe(401);
    expect(jaeger.received.length).toBe(before);
  });

  it('when the id is not a trace id, then 400 problem+json, and Jaeger is not asked', async () => {
    const before = jaeger.received.length;
    const response = await get('not-a-trace');
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(jaeger.received.length).toBe(before);
  });

  it('when Jaeger has none of it yet, then 404', async () => {
    jaeger.answerWith(answer(404, { data: null }));
    expect((await get(traceId)).status).toBe(404);
  });

  it('when Jaeger fails, then 503 with Retry-After', async () => {
    jaeger.answerWith(answer(500, {}));
    const response = await get(traceId);
    expect(response.status).toBe(503);
    expect(response.headers.get('retry-after')).toBe('5');
  });
});
