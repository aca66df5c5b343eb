import { once } from 'node:events';
import { randomUUID } from 'node:crypto';
import type Redis from 'ioredis';
import { createRedisClient } from '@platform/persistence';
import { eventually, freePort, requireInfrastructure } from '@platform/testing';
import { type TestSigningKey, createTestSigningKey } from '@platform/auth/testing';
import { AdminAuditUnavailable } from '../src/admin-audit/admin-audit-log';
import { RedisAdminAuditLog } from '../src/admin-audit/redis-admin-audit-log';
import { describeAdminAuditLogContract } from './admin-audit-log.contract';
import { type FakeUpstream, echo, startFakeUpstream } from './support/fake-upstream';
import { startGateway, type RunningGateway } from './support/gateway';

const redisUrl = process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379';

async function connectedRedis(name: string): Promise<Redis> {
  const redis = createRedisClient(redisUrl, name);
  await requireInfrastructure(`Redis at ${redisUrl}`, async () => {
    if (redis.status !== 'ready') await once(redis, 'ready');
  });
  return redis;
}

const action = {
  at: '2026-01-01T00:00:00.000Z',
  actor: { id: 'admin-1', roles: ['admin'] },
  method: 'POST',
  path: '/api/products',
  status: 201,
  outcome: 'succeeded' as const,
  traceId: '0af7651916cd43dd8448eb211c80319c',
};

describeAdminAuditLogContract('Redis (integration: needs Redis, npm run infra:up)', async () => {
  const redis = await connectedRedis('gateway-audit-contract');
  // A stream of its own per test keeps tests apart on a shared server.
  const key = `test:admin-audit:${randomUUID()}`;
  return {
    log: new RedisAdminAuditLog(redis, key, 5),
    capacity: 5,
    close: async () => {
      await redis.del(key);
      redis.disconnect();
    },
  };
});

describe('RedisAdminAuditLog (integration: needs Redis, npm run infra:up)', () => {
  let redis: Redis;
  const key = `test:admin-audit:${randomUUID()}`;
  beforeAll(async () => {
    redis = await connectedRedis('gateway-audit-test');
  });
  afterAll(async () => {
    await redis.del(key);
    redis.disconnect();
  });

  it('when an action is recorded, then it is one stream entry holding the action as JSON', async () => {
    await new RedisAdminAuditLog(redis, key).record(action);
    const entries = await redis.xrange(key, '-', '+');
    expect(entries).toHaveLength(1);
    expect(entries[0]?.[1]).toEqual(['action', JSON.stringify(action)]);
  });

  it('when the stream holds an entry the gateway did not write, then reading fails instead of showing it', async () => {
    const foreign = `test:admin-audit:${randomUUID()}`;
    try {
      await redis.xadd(foreign, '*', 'action', '{"not":"an action"}');
      await expect(new RedisAdminAuditLog(redis, foreign).page(10)).rejects.toThrow(/not one the gateway/);
    } finally {
      await redis.del(foreign);
    }
  });

  it('when Redis cannot be reached, then recording and reading fail as AdminAuditUnavailable', async () => {
    const unreachable = createRedisClient(
      `redis://127.0.0.1:${await freePort()}`,
      'gateway-audit-unreachable',
    );
    unreachable.on('error', () => undefined);
    try {
      const log = new RedisAdminAuditLog(unreachable, key);
      await expect(log.record(action)).rejects.toBeInstanceOf(AdminAuditUnavailable);
      await expect(log.page(10)).rejects.toBeInstanceOf(AdminAuditUnavailable);
    } finally {
      unreachable.disconnect();
    }
  });
});

describe('the audit trail of two gateway instances sharing Redis (integration: needs Redis)', () => {
  let signingKey: TestSigningKey;
  let auth: FakeUpstream;
  let inventory: FakeUpstream;
  let gateways: RunningGateway[];
  beforeAll(async () => {
    (await connectedRedis('gateway-audit-probe')).disconnect();
    signingKey = await createTestSigningKey('gateway-test-key');
    auth = await startFakeUpstream((_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ keys: [signingKey.publicJwk] }));
    });
    inventory = await startFakeUpstream(echo);
    const variables = {
      PROFILE: 'local',
      REDIS_URL: redisUrl,
      AUTH_URL: auth.url,
      INVENTORY_URL: inventory.url,
    };
    gateways = [await startGateway(variables), await startGateway(variables)];
  });
  afterAll(async () => {
    await Promise.all(gateways.map((gateway) => gateway.close()));
    await Promise.all([auth.close(), inventory.close()]);
  });

  it('when an admin restocks through one instance, then an admin reading through the other sees it', async () => {
    const [first, second] = gateways;
    if (!first || !second) throw new Error('two gateways expected');
    const adminId = `admin-${randomUUID()}`;
    const token = await signingKey.sign({ sub: adminId, roles: ['admin'] });
    const restock = await fetch(`${first.baseUrl}/api/products/TEA-GREEN/restock`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ quantity: 12 }),
    });
    expect(restock.status).toBe(200);
    const entry = await eventually(async () => {
      const response = await fetch(`${second.baseUrl}/api/admin/audit?limit=100`, {
        headers: { authorization: `Bearer ${token}` },
      });
      const { items } = (await response.json()) as { items: { actor: { id: string } | null }[] };
      return items.find((item) => item.actor?.id === adminId);
    });
    expect(entry).toMatchObject({
      method: 'POST',
      path: '/api/products/TEA-GREEN/restock',
      status: 200,
      outcome: 'succeeded',
      details: { quantity: 12 },
      traceId: restock.headers.get('x-trace-id'),
    });
  });
});
