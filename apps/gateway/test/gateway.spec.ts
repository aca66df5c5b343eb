import { loadGatewayConfig } from '../src';
import { type RunningGateway, startGateway } from './support/gateway';

describe('gateway', () => {
  let gateway: RunningGateway;
  beforeAll(async () => {
    gateway = await startGateway();
  });
  afterAll(() => gateway.close());

  describe('when a client calls an unknown public route', () => {
    it('then it answers 404 problem+json with X-Trace-Id and X-Request-Id', async () => {
      const response = await fetch(`${gateway.baseUrl}/api/unknown`);
      expect(response.status).toBe(404);
      expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(response.headers.get('x-trace-id')).toMatch(/^[0-9a-f]{32}$/);
      expect(response.headers.get('x-request-id')).toBeTruthy();
      expect(await response.json()).toMatchObject({
        status: 404,
        instance: '/api/unknown',
        traceId: response.headers.get('x-trace-id'),
      });
    });
  });

  describe('when its own operations endpoints are called', () => {
    it.each(['/healthz', '/readyz', '/metrics'])(
      'then %s answers 200 on the operations port',
      async (path) => {
        expect((await fetch(`${gateway.operationsUrl}${path}`)).status).toBe(200);
      },
    );

    it.each(['/healthz', '/readyz', '/metrics', '/metrics?format=json', '/healthz/', '/HEALTHZ'])(
      'then %s on the public port answers 404 problem+json, the same as any unknown path',
      async (path) => {
        const response = await fetch(`${gateway.baseUrl}${path}`);
        expect(response.status).toBe(404);
        expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
        expect(response.headers.get('x-content-type-options')).toBe('nosniff');
        const body = await response.text();
        expect(body).not.toMatch(/nodejs|process_|gateway_upstream|"status":"ok"/);
      },
    );

    it.each(['/api/openapi.json', '/api/products', '/'])(
      'then %s on the operations port answers 404: it serves nothing else',
      async (path) => {
        expect((await fetch(`${gateway.operationsUrl}${path}`)).status).toBe(404);
      },
    );
  });
});

describe('gateway configuration', () => {
  it('when a variable is invalid, then loading fails naming it', () => {
    expect(() => loadGatewayConfig({ PORT: '99999', LOG_LEVEL: 'chatty' })).toThrow(/PORT:[\s\S]*LOG_LEVEL:/);
  });

  it('when nothing is set, then it listens on 8080 on loopback, its operations endpoints on 8081', () => {
    expect(loadGatewayConfig({ REDIS_URL: 'redis://127.0.0.1:6379' })).toMatchObject({
      PORT: 8080,
      OPS_PORT: 8081,
      HOST: '127.0.0.1',
      PROFILE: 'local',
    });
  });
});
