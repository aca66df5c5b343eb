import { randomUUID } from 'node:crypto';
import { request } from 'undici';
import {
  eventually,
  freePort,
  requireInfrastructure,
  startServiceProcess,
  startTcpProxy,
  type ServiceProcess,
  type TcpProxy,
} from '@platform/testing';
import { createTestSigningKey } from '@platform/auth/testing';
import { unthrottled } from './connection';

/**
 * Failures injected for real under the gateway: its upstream killed and restarted, its upstream
 * slowed past the timeout, its Redis cut off. Each asserts what the client sees and that it
 * recovers, never how long anything took.
 */
const redisTarget = { host: '127.0.0.1', port: Number(process.env['REDIS_PORT'] ?? 6379) };
const password = 'correct horse battery staple';

async function startAuth(keys: string, port?: number): Promise<ServiceProcess> {
  return startServiceProcess(
    'auth',
    { PROFILE: 'local', AUTH_SIGNING_KEYS: keys },
    port === undefined ? {} : { port },
  );
}

async function get(baseUrl: string, path: string) {
  const response = await request(`${baseUrl}${path}`);
  const text = await response.body.text();
  return {
    status: response.statusCode,
    headers: response.headers,
    body: text ? JSON.parse(text) : undefined,
  };
}

describe('the gateway under upstream and Redis failures', () => {
  let keys: string;
  beforeAll(async () => {
    await requireInfrastructure(`Redis at ${redisTarget.host}:${redisTarget.port}`, () =>
      startTcpProxy(redisTarget).then((proxy) => proxy.close()),
    );
    keys = JSON.stringify({ keys: [(await createTestSigningKey(`faults-${randomUUID()}`)).privateJwk] });
  });

  describe('when the auth service is killed', () => {
    let auth: ServiceProcess;
    let gateway: ServiceProcess;
    let authPort: number;
    beforeAll(async () => {
      authPort = await freePort();
      auth = await startAuth(keys, authPort);
      gateway = await startServiceProcess('gateway', {
        ...unthrottled,
        PROFILE: 'local',
        AUTH_URL: `http://127.0.0.1:${authPort}`,
        BREAKER_RESET_MS: '1000',
      });
    });
    afterAll(async () => {
      await gateway?.stop();
      await auth?.stop();
    });

    it('then calls answer 503 with Retry-After, and once it is back they are routed again', async () => {
      expect((await get(gateway.baseUrl, '/api/auth/me')).status).toBe(401);
      await auth.stop('SIGKILL');

      for (let attempt = 0; attempt < 5; attempt += 1) {
        const response = await get(gateway.baseUrl, '/api/auth/me');
        expect(response.status).toBe(503);
        expect(Number(response.headers['retry-after'])).toBeGreaterThan(0);
        expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
      }

      auth = await startAuth(keys, authPort);
      const recovered = await eventually(
        async () => {
          const response = await get(gateway.baseUrl, '/api/auth/me');
          return response.status === 401 ? response : undefined;
        },
        20_000,
        250,
      );
      expect(recovered.headers['www-authenticate']).toMatch(/^Bearer/);
    });
  });

  describe('when the auth service answers slower than the gateway waits', () => {
    let auth: ServiceProcess;
    let slowLink: TcpProxy;
    let gateway: ServiceProcess;
    beforeAll(async () => {
      auth = await startAuth(keys);
      slowLink = await startTcpProxy({ host: '127.0.0.1', port: Number(new URL(auth.baseUrl).port) });
      gateway = await startServiceProcess('gateway', {
        ...unthrottled,
        PROFILE: 'local',
        AUTH_URL: slowLink.url('http'),
        UPSTREAM_TIMEOUT_MS: '500',
        BREAKER_RESET_MS: '1000',
      });
    });
    afterAll(async () => {
      await gateway?.stop();
      await slowLink?.close();
      await auth?.stop();
    });

    it('then the call answers 504, and once auth is fast again calls succeed', async () => {
      slowLink.setLatency(2000);
      const slow = await get(gateway.baseUrl, '/api/auth/me');
      expect(slow.status).toBe(504);
      expect(slow.headers['content-type']).toMatch(/^application\/problem\+json/);

      slowLink.setLatency(0);
      await eventually(
        async () => ((await get(gateway.baseUrl, '/api/auth/me')).status === 401 ? true : undefined),
        20_000,
        250,
      );
    });
  });

  describe('when Redis stops', () => {
    let auth: ServiceProcess;
    let redisLink: TcpProxy;
    let gateway: ServiceProcess;
    beforeAll(async () => {
      auth = await startAuth(keys);
      redisLink = await startTcpProxy(redisTarget);
      gateway = await startServiceProcess('gateway', {
        ...unthrottled,
        PROFILE: 'local',
        AUTH_URL: auth.baseUrl,
        REDIS_URL: redisLink.url('redis'),
      });
      await eventually(async () =>
        (await get(gateway.operationsUrl, '/readyz')).status === 200 ? true : undefined,
      );
    });
    afterAll(async () => {
      await gateway?.stop();
      await redisLink?.close();
      await auth?.stop();
    });

    it('then the gateway keeps serving, readiness names redis, and both recover when Redis is back', async () => {
      redisLink.cut();

      const email = `user-${randomUUID()}@example.com`;
      const registered = await request(`${gateway.baseUrl}/api/auth/register`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email, password, name: 'Grace Hopper' }),
      });
      await registered.body.dump();
      expect(registered.statusCode).toBe(201);

      const notReady = await eventually(async () => {
        const response = await get(gateway.operationsUrl, '/readyz');
        return response.status === 503 ? response : undefined;
      });
      expect(notReady.body.error).toHaveProperty('redis');

      redisLink.restore();
      await eventually(
        async () => ((await get(gateway.operationsUrl, '/readyz')).status === 200 ? true : undefined),
        20_000,
        250,
      );
    });
  });
});
