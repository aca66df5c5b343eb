import { request } from 'undici';
import { type FakeUpstream, startFakeUpstream } from './support/fake-upstream';
import { startGateway, type RunningGateway } from './support/gateway';

const unreachable = 'http://127.0.0.1:1';

/** Any method, TRACE included (which fetch refuses to send). */
async function send(baseUrl: string, method: string, path: string) {
  const response = await request(`${baseUrl}${path}`, { method });
  const body = await response.body.text();
  return { status: response.statusCode, headers: response.headers, body };
}

describe('a method a known path does not answer', () => {
  let upstream: FakeUpstream;
  let gateway: RunningGateway;
  beforeAll(async () => {
    upstream = await startFakeUpstream();
    gateway = await startGateway({
      AUTH_URL: upstream.url,
      ORDER_URL: upstream.url,
      PAYMENT_URL: unreachable,
      INVENTORY_URL: unreachable,
      NOTIFICATION_URL: unreachable,
      PROVIDER_URL: unreachable,
    });
  });
  afterAll(async () => {
    await gateway.close();
    await upstream.close();
  });
  beforeEach(() => upstream.received.splice(0));

  it.each([
    ['TRACE', '/.well-known/jwks.json', 'GET, HEAD'],
    ['DELETE', '/api/orders', 'GET, POST, HEAD'],
    ['PUT', '/api/orders/13af9679-3e2d-4b6a-9f77-4c2f0c9e1d21', 'GET, HEAD'],
    ['GET', '/api/auth/login', 'POST'],
    ['OPTIONS', '/api/auth/me', 'GET, HEAD'],
    ['PATCH', '/api/traces/4bf92f3577b34da6a3ce929d0e0e4736', 'GET, HEAD'],
  ])(
    'when %s %s is asked, then 405 problem+json with Allow: %s, and no upstream hears of it',
    async (method, path, allow) => {
      const response = await send(gateway.baseUrl, method, path);
      expect(response.status).toBe(405);
      expect(response.headers['allow']).toBe(allow);
      expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(JSON.parse(response.body)).toMatchObject({
        type: '/problems/method-not-allowed',
        status: 405,
        instance: path,
      });
      expect(upstream.received).toHaveLength(0);
    },
  );

  it('when HEAD is asked where GET is answered, then it is forwarded like GET', async () => {
    const response = await send(gateway.baseUrl, 'HEAD', '/.well-known/jwks.json');
    expect(response.status).toBe(200);
    expect(upstream.received).toMatchObject([{ method: 'HEAD', url: '/.well-known/jwks.json' }]);
  });

  it.each(['/api/auth/nothing', '/api/orders/13af9679/events/more', '/api/nothing-here'])(
    'when an unknown path %s is asked, with any method, then it is still 404 and no upstream hears of it',
    async (path) => {
      for (const method of ['GET', 'TRACE']) {
        const response = await send(gateway.baseUrl, method, path);
        expect({ method, status: response.status }).toEqual({ method, status: 404 });
      }
      expect(upstream.received).toHaveLength(0);
    },
  );
});
