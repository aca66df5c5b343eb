import { type TestSigningKey, createTestSigningKey } from '@platform/auth/testing';
import { type FakeUpstream, echo, startFakeUpstream } from './support/fake-upstream';
import { startGateway, type RunningGateway } from './support/gateway';

const anonymousLimit = 3;
const userLimit = 5;

describe('rate limits (in-memory limiter, embedded profile)', () => {
  let signingKey: TestSigningKey;
  let auth: FakeUpstream;
  let gateway: RunningGateway;
  beforeAll(async () => {
    signingKey = await createTestSigningKey('gateway-test-key');
    // The fake auth service publishes the test key set, as the real one does.
    auth = await startFakeUpstream((request, response) => {
      if (request.url === '/.well-known/jwks.json') {
        response.writeHead(200, { 'content-type': 'application/json' });
        response.end(JSON.stringify({ keys: [signingKey.publicJwk] }));
      } else echo(request, response);
    });
  });
  beforeEach(async () => {
    // Every test starts with full buckets: all its requests come from the same loopback address.
    gateway = await startGateway({
      AUTH_URL: auth.url,
      RATE_LIMIT_ANONYMOUS_PER_MINUTE: String(anonymousLimit),
      RATE_LIMIT_USER_PER_MINUTE: String(userLimit),
    });
  });
  afterEach(() => gateway.close());
  afterAll(() => auth.close());

  const call = (headers: Record<string, string> = {}) => fetch(`${gateway.baseUrl}/api/auth/me`, { headers });
  const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

  describe('when an anonymous client calls a proxied route', () => {
    it('then the response carries RateLimit-Policy and RateLimit for the anonymous policy', async () => {
      const response = await call();
      expect(response.status).toBe(200);
      expect(response.headers.get('ratelimit-policy')).toBe(`"anonymous";q=${anonymousLimit};w=60`);
      expect(response.headers.get('ratelimit')).toMatch(
        new RegExp(`^"anonymous";r=${anonymousLimit - 1};t=\\d+$`),
      );
    });

    it('then the remaining count goes down by one per request', async () => {
      const remaining: string[] = [];
      for (let index = 0; index < anonymousLimit; index += 1)
        remaining.push(/r=(\d+)/.exec((await call()).headers.get('ratelimit') ?? '')?.[1] ?? '');
      expect(remaining).toEqual(['2', '1', '0']);
    });
  });

  describe('when an anonymous client goes over its limit', () => {
    it('then it gets 429 problem+json with Retry-After, and the upstream is not called', async () => {
      for (let index = 0; index < anonymousLimit; index += 1) expect((await call()).status).toBe(200);
      const callsBefore = auth.received.length;
      const response = await call();
      expect(response.status).toBe(429);
      expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(Number(response.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      expect(response.headers.get('ratelimit')).toMatch(/^"anonymous";r=0;t=\d+$/);
      expect(await response.json()).toMatchObject({ status: 429, type: '/problems/rate-limited' });
      expect(auth.received.length).toBe(callsBefore);
    });
  });

  describe('when a client sends a valid access token', () => {
    it('then it is limited per user, apart from its address and from other users', async () => {
      for (let index = 0; index < anonymousLimit; index += 1) await call();
      expect((await call()).status).toBe(429);

      const alice = bearer(await signingKey.sign({ sub: 'alice' }));
      const first = await call(alice);
      expect(first.status).toBe(200);
      expect(first.headers.get('ratelimit-policy')).toBe(`"user";q=${userLimit};w=60`);
      expect(first.headers.get('ratelimit')).toMatch(new RegExp(`^"user";r=${userLimit - 1};t=\\d+$`));
      for (let index = 1; index < userLimit; index += 1) expect((await call(alice)).status).toBe(200);
      expect((await call(alice)).status).toBe(429);

      const bob = await call(bearer(await signingKey.sign({ sub: 'bob' })));
      expect(bob.status).toBe(200);
      expect(bob.headers.get('ratelimit')).toMatch(new RegExp(`^"user";r=${userLimit - 1};`));
    });
  });

  describe('when a client sends an invalid access token', () => {
    it.each([
      ['garbage', 'not-a-jwt'],
      ['signed by another key', 'other-key'],
    ])('(%s) then it is limited by address, and the request is still forwarded', async (_case, kind) => {
      const token =
        kind === 'other-key'
          ? await (await createTestSigningKey('another-key')).sign({ sub: 'mallory' })
          : kind;
      const response = await call(bearer(token));
      expect(response.status).toBe(200);
      expect(response.headers.get('ratelimit-policy')).toBe(`"anonymous";q=${anonymousLimit};w=60`);
      expect(auth.received.at(-1)?.headers.authorization).toBe(`Bearer ${token}`);
    });
  });

  describe('when a client sends bodies the gateway refuses while reading them', () => {
    it('then each refusal (invalid JSON, too large, too deep) counts against its limit, and the next request gets 429', async () => {
      const post = (body: string) =>
        fetch(`${gateway.baseUrl}/api/auth/login`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body,
        });
      const refusals = [
        await post('{"email": '),
        await post(JSON.stringify({ padding: 'x'.repeat(100 * 1024) })),
        await post('['.repeat(5000) + ']'.repeat(5000)),
      ];
      expect(refusals.map((response) => response.status)).toEqual([400, 413, 400]);
      for (const response of refusals) {
        expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
        expect(response.headers.get('ratelimit')).toMatch(/^"anonymous";r=\d+;t=\d+$/);
      }
      const types = await Promise.all(
        refusals.map(async (response) => ((await response.json()) as { type: string }).type),
      );
      expect(types).toEqual([
        '/problems/invalid-json',
        '/problems/body-too-large',
        '/problems/body-too-deep',
      ]);
      expect((await post('{}')).status).toBe(429);
      expect(auth.received.filter((request) => request.url === '/api/auth/login')).toHaveLength(0);
    });
  });

  describe("when the gateway's own endpoints are called often", () => {
    it('then /healthz, /readyz and /metrics are never rate limited', async () => {
      for (let index = 0; index < anonymousLimit + 2; index += 1) {
        for (const path of ['/healthz', '/readyz', '/metrics']) {
          const response = await fetch(`${gateway.operationsUrl}${path}`);
          expect(response.status).toBe(200);
          expect(response.headers.get('ratelimit')).toBeNull();
        }
      }
    });
  });
});
