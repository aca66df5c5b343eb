import { once } from 'node:events';
import { randomUUID } from 'node:crypto';
import { createRedisClient } from '@platform/persistence';
import { eventually, freePort, requireInfrastructure, startTcpProxy, type TcpProxy } from '@platform/testing';
import { RedisRateLimiter, leaseSizeOf } from '../src/rate-limit/redis-rate-limiter';
import { type TestSigningKey, createTestSigningKey } from '@platform/auth/testing';
import { type FakeUpstream, echo, startFakeUpstream } from './support/fake-upstream';
import { metricValue, startGateway, type RunningGateway } from './support/gateway';

const redisUrl = process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379';

/** The gateway of the local profile: rate-limit counters in Redis. */
function startRedisGateway(variables: NodeJS.ProcessEnv): Promise<RunningGateway> {
  return startGateway({ PROFILE: 'local', REDIS_URL: redisUrl, ...variables });
}

describe('rate limits in Redis (integration: needs Redis, npm run infra:up)', () => {
  let signingKey: TestSigningKey;
  let auth: FakeUpstream;
  beforeAll(async () => {
    const probe = createRedisClient(redisUrl, 'gateway-test-probe');
    try {
      await requireInfrastructure(`Redis at ${redisUrl}`, () => once(probe, 'ready'));
    } finally {
      probe.disconnect();
    }
    signingKey = await createTestSigningKey('gateway-test-key');
    auth = await startFakeUpstream((request, response) => {
      if (request.url === '/.well-known/jwks.json') {
        response.writeHead(200, { 'content-type': 'application/json' });
        response.end(JSON.stringify({ keys: [signingKey.publicJwk] }));
      } else echo(request, response);
    });
  });
  afterAll(() => auth.close());

  describe('the Lua token bucket', () => {
    const redis = createRedisClient(redisUrl, 'gateway-test');
    beforeAll(async () => {
      if (redis.status !== 'ready') await once(redis, 'ready');
    });
    afterAll(() => redis.quit());

    it('when 50 takes race for a bucket of 10, then exactly 10 are allowed', async () => {
      const limiter = new RedisRateLimiter(redis);
      const policy = { name: 'anonymous', quota: 10, windowSeconds: 60 };
      const key = `test:${randomUUID()}`;
      const decisions = await Promise.all(Array.from({ length: 50 }, () => limiter.take(key, policy)));
      expect(decisions.filter((decision) => decision.allowed)).toHaveLength(10);
      expect(
        decisions
          .filter((decision) => !decision.allowed)
          .every((decision) => decision.remaining === 0 && decision.retryAfterSeconds >= 1),
      ).toBe(true);
    });

    it('when a busy caller has a large quota, then tokens are taken from Redis in leases, and the remaining count still goes down by one per request', async () => {
      const limiter = new RedisRateLimiter(redis);
      // Refilled by under a token a minute: however slow the machine, Redis's count moves only by the leases.
      const policy = { name: 'user', quota: 360_000, windowSeconds: 360 * 24 * 3600 };
      const key = `test:${randomUUID()}`;
      const remaining: number[] = [];
      for (let index = 0; index < 25; index += 1) {
        const decision = await limiter.take(key, policy);
        expect(decision.allowed).toBe(true);
        remaining.push(decision.remaining);
      }
      expect(leaseSizeOf(policy)).toBe(20);
      // Two leases of 20 for 25 requests: Redis has been asked twice, and holds 40 fewer tokens.
      const tokensInRedis = Number(await redis.hget(`gateway:rate-limit:user:${key}`, 'tokens'));
      expect(Math.floor(tokensInRedis)).toBe(policy.quota - 40);
      expect(remaining.slice(0, 20)).toEqual(
        Array.from({ length: 20 }, (_, index) => policy.quota - 1 - index),
      );
    });

    it('when two instances lease from one bucket at once, then no more than the quota is allowed, and at most what their leases hold unspent is lost', async () => {
      const instances = [new RedisRateLimiter(redis), new RedisRateLimiter(redis)];
      // 2,000 per hour: the bucket refills by about one token every 2 s while the test runs.
      const policy = { name: 'user', quota: 2000, windowSeconds: 3600 };
      const key = `test:${randomUUID()}`;
      const decisions = await Promise.all(
        Array.from({ length: 3000 }, (_, index) => instances[index % 2]?.take(key, policy)),
      );
      const allowed = decisions.filter((decision) => decision?.allowed).length;
      expect(allowed).toBeLessThanOrEqual(policy.quota + 5);
      expect(allowed).toBeGreaterThanOrEqual(policy.quota - 2 * (leaseSizeOf(policy) - 1));
    });

    it('when a bucket has been used, then it expires in Redis once it would be full again', async () => {
      const limiter = new RedisRateLimiter(redis);
      const key = `test:${randomUUID()}`;
      const policy = { name: 'user', quota: 600, windowSeconds: 60 };
      await limiter.take(key, policy);
      const ttl = await redis.pttl(`gateway:rate-limit:user:${key}`);
      expect(ttl).toBeGreaterThan(0);
      // A lease of 6 taken: 100 ms per token to come back.
      expect(ttl).toBeLessThanOrEqual(leaseSizeOf(policy) * 100 + 1);
    });
  });

  describe('when 50 requests of one user arrive at once, spread over two gateway instances', () => {
    const limit = 10;
    let gateways: RunningGateway[];
    beforeAll(async () => {
      const variables = { AUTH_URL: auth.url, RATE_LIMIT_USER_PER_MINUTE: String(limit) };
      gateways = [await startRedisGateway(variables), await startRedisGateway(variables)];
    });
    afterAll(() => Promise.all(gateways.map((gateway) => gateway.close())));

    it('then exactly the limit is allowed and the rest answer 429 with Retry-After', async () => {
      const token = await signingKey.sign({ sub: `user-${randomUUID()}` });
      // Warm each instance's key set cache, so no request is keyed by address while it loads.
      await Promise.all(gateways.map((gateway) => fetch(`${gateway.baseUrl}/.well-known/jwks.json`)));
      const before = auth.received.length;
      const responses = await Promise.all(
        Array.from({ length: 50 }, (_, index) =>
          fetch(`${gateways[index % 2]?.baseUrl}/api/auth/me`, {
            headers: { authorization: `Bearer ${token}` },
          }),
        ),
      );
      const statuses = responses.map((response) => response.status);
      expect(statuses.filter((status) => status === 200)).toHaveLength(limit);
      expect(statuses.filter((status) => status === 429)).toHaveLength(50 - limit);
      expect(
        responses
          .filter((response) => response.status === 429)
          .every((response) => Number(response.headers.get('retry-after')) >= 1),
      ).toBe(true);
      expect(
        responses.every((response) => response.headers.get('ratelimit-policy') === `"user";q=${limit};w=60`),
      ).toBe(true);
      expect(auth.received.slice(before).filter((request) => request.url === '/api/auth/me')).toHaveLength(
        limit,
      );
    });
  });

  describe('when Redis is unreachable', () => {
    let gateway: RunningGateway;
    beforeAll(async () => {
      gateway = await startRedisGateway({
        AUTH_URL: auth.url,
        REDIS_URL: `redis://127.0.0.1:${await freePort()}`,
        RATE_LIMIT_ANONYMOUS_PER_MINUTE: '1',
      });
    });
    afterAll(() => gateway.close());

    it('then requests are still proxied (fail open), past the limit too', async () => {
      for (let index = 0; index < 3; index += 1) {
        const response = await fetch(`${gateway.baseUrl}/api/auth/me`);
        expect(response.status).toBe(200);
        expect(response.headers.get('ratelimit-policy')).toBe('"anonymous";q=1;w=60');
        expect(response.headers.get('ratelimit')).toBeNull();
      }
    });

    it('then every request let through unchecked is counted', async () => {
      const before = (await metricValue(gateway.operationsUrl, 'gateway_rate_limit_fail_open_total')) ?? 0;
      await fetch(`${gateway.baseUrl}/api/auth/me`);
      await fetch(`${gateway.baseUrl}/api/auth/me`);
      expect(await metricValue(gateway.operationsUrl, 'gateway_rate_limit_fail_open_total')).toBe(before + 2);
    });

    it('then /readyz answers 503 naming redis', async () => {
      const response = await fetch(`${gateway.operationsUrl}/readyz`);
      expect(response.status).toBe(503);
      expect(await response.json()).toMatchObject({ status: 'error', error: { redis: { status: 'down' } } });
    });
  });

  describe('when Redis goes away while the gateway runs, and comes back', () => {
    let proxy: TcpProxy;
    let gateway: RunningGateway;
    beforeAll(async () => {
      const target = new URL(redisUrl);
      proxy = await startTcpProxy({ host: target.hostname, port: Number(target.port || 6379) });
      gateway = await startRedisGateway({ AUTH_URL: auth.url, REDIS_URL: `redis://127.0.0.1:${proxy.port}` });
      await eventually(
        async () => ((await fetch(`${gateway.operationsUrl}/readyz`)).status === 200 ? true : undefined),
        10_000,
        50,
      );
    });
    afterAll(async () => {
      await gateway.close();
      await proxy.close();
    });

    it('then requests keep being proxied, unchecked, /readyz names redis, and limits apply again once it is back', async () => {
      expect((await fetch(`${gateway.baseUrl}/api/auth/me`)).headers.get('ratelimit')).toMatch(
        /^"anonymous";r=\d+;t=\d+$/,
      );
      proxy.cut();
      const failOpenBefore =
        (await metricValue(gateway.operationsUrl, 'gateway_rate_limit_fail_open_total')) ?? 0;
      const whileDown = await fetch(`${gateway.baseUrl}/api/auth/me`);
      expect(whileDown.status).toBe(200);
      expect(whileDown.headers.get('ratelimit')).toBeNull();
      expect(await metricValue(gateway.operationsUrl, 'gateway_rate_limit_fail_open_total')).toBeGreaterThan(
        failOpenBefore,
      );
      const readiness = await fetch(`${gateway.operationsUrl}/readyz`);
      expect(readiness.status).toBe(503);
      expect(await readiness.json()).toMatchObject({ error: { redis: { status: 'down' } } });

      proxy.restore();
      await eventually(
        async () => ((await fetch(`${gateway.operationsUrl}/readyz`)).status === 200 ? true : undefined),
        10_000,
        100,
      );
      expect((await fetch(`${gateway.baseUrl}/api/auth/me`)).headers.get('ratelimit')).toMatch(
        /^"anonymous";r=\d+;t=\d+$/,
      );
    });
  });
});
