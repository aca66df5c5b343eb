import { listenOnEphemeralPort, type RunningApp } from '@platform/testing';
import { createApp, loadGatewayConfig } from '../src';

describe('gateway', () => {
  let gateway: RunningApp;
  beforeAll(async () => {
    gateway = await listenOnEphemeralPort(
      await createApp(loadGatewayConfig({ LOG_LEVEL: 'silent', PROFILE: 'embedded' })),
    );
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
    it.each(['/healthz', '/readyz', '/metrics'])('then %s answers 200', async (path) => {
      expect((await fetch(`${gateway.baseUrl}${path}`)).status).toBe(200);
    });
  });
});

describe('gateway configuration', () => {
  it('when a variable is invalid, then loading fails naming it', () => {
    expect(() => loadGatewayConfig({ PORT: '99999', LOG_LEVEL: 'chatty' })).toThrow(/PORT:[\s\S]*LOG_LEVEL:/);
  });

  it('when nothing is set, then it listens on 8080 on loopback', () => {
    expect(loadGatewayConfig({})).toMatchObject({ PORT: 8080, HOST: '127.0.0.1', PROFILE: 'local' });
  });
});
