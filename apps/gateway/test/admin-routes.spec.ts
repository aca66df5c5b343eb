import { type TestSigningKey, createTestSigningKey } from '@platform/auth/testing';
import { type FakeUpstream, echo, startFakeUpstream } from './support/fake-upstream';
import { startGateway, type RunningGateway } from './support/gateway';

/** The payment provider simulator has no auth of its own: the gateway lets only admins reach its knobs. */
describe('the payment provider’s fault knobs through the gateway (/api/admin/payment-provider)', () => {
  let signingKey: TestSigningKey;
  let auth: FakeUpstream;
  let provider: FakeUpstream;
  let gateway: RunningGateway;
  beforeAll(async () => {
    signingKey = await createTestSigningKey('gateway-test-key');
    auth = await startFakeUpstream((request, response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ keys: [signingKey.publicJwk] }));
    });
    provider = await startFakeUpstream(echo);
    gateway = await startGateway({ AUTH_URL: auth.url, PROVIDER_URL: provider.url });
  });
  afterAll(async () => {
    await gateway.close();
    await Promise.all([auth.close(), provider.close()]);
  });
  beforeEach(() => provider.received.splice(0));

  const putFaults = (headers: Record<string, string>) =>
    fetch(`${gateway.baseUrl}/api/admin/payment-provider/faults`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify({ outage: true }),
    });

  it('when an admin sets the knobs, then the simulator receives them at its own /admin path', async () => {
    const token = await signingKey.sign({ sub: 'admin-1', roles: ['admin'] });
    const response = await putFaults({ authorization: `Bearer ${token}` });
    expect(response.status).toBe(200);
    expect(provider.received).toHaveLength(1);
    expect(provider.received[0]).toMatchObject({ method: 'PUT', url: '/admin/faults' });
    expect(JSON.parse(provider.received[0]?.body ?? '{}')).toEqual({ outage: true });
  });

  it('when a customer tries, then 403 problem+json, and the simulator hears nothing', async () => {
    const token = await signingKey.sign({ sub: 'customer-1', roles: ['customer'] });
    const response = await putFaults({ authorization: `Bearer ${token}` });
    expect(response.status).toBe(403);
    expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(provider.received).toHaveLength(0);
  });

  it.each([
    ['no token', {}],
    ['a forged token', { authorization: 'Bearer not.a.jwt' }],
  ])(
    'when the caller sends %s, then 401 with WWW-Authenticate, and the simulator hears nothing',
    async (_case, headers) => {
      const response = await putFaults(headers);
      expect(response.status).toBe(401);
      expect(response.headers.get('www-authenticate')).toMatch(/^Bearer/);
      expect(provider.received).toHaveLength(0);
    },
  );

  it('when a path outside the simulator’s /admin is aimed at (its charges), then nothing reaches it', async () => {
    const token = await signingKey.sign({ sub: 'admin-1', roles: ['admin'] });
    const response = await fetch(`${gateway.baseUrl}/api/admin/payment-provider/../../v1/charges`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect([400, 404]).toContain(response.status);
    expect(provider.received).toHaveLength(0);
  });
});
