import type Redis from 'ioredis';
import { RedisProductCache } from './redis-product-cache';

/** A Redis client whose every command fails, as ioredis does while the server is down (no offline queue). */
function downRedis(): Redis & { up: boolean; deleted: string[] } {
  const refuse = () =>
    Promise.reject(new Error("Stream isn't writeable and enableOfflineQueue options is false"));
  const client = {
    up: false,
    deleted: [] as string[],
    mget: refuse,
    del: (key: string) => {
      if (!client.up) return refuse();
      client.deleted.push(key);
      return Promise.resolve(1);
    },
    pipeline: () => ({ set: () => undefined, exec: refuse }),
    on: () => client,
  };
  return client as unknown as Redis & { up: boolean; deleted: string[] };
}

describe('RedisProductCache while Redis is down', () => {
  const view = { sku: 'TEA', name: 'Tea', priceCents: 100, currency: 'EUR', available: 3 };

  it('when reading, writing or invalidating, then nothing throws and reads are misses', async () => {
    const cache = new RedisProductCache(downRedis(), 'inventory', 5, { warn: () => undefined });
    await expect(cache.getMany(['TEA'])).resolves.toEqual(new Map());
    await expect(cache.setMany([view])).resolves.toBeUndefined();
    await expect(cache.invalidate('TEA')).resolves.toBeUndefined();
  });

  it('when failures repeat within the interval, then one warning is logged, and one more after it', async () => {
    let now = 1_000;
    const warnings: string[] = [];
    const cache = new RedisProductCache(
      downRedis(),
      'inventory',
      5,
      { warn: (message) => warnings.push(message) },
      30_000,
      () => now,
    );
    for (let index = 0; index < 5; index++) await cache.getMany(['TEA']);
    await cache.invalidate('TEA');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/product cache read failed, serving from MongoDB/);
    now += 30_000;
    await cache.setMany([view]);
    expect(warnings).toHaveLength(2);
  });

  it('when an invalidation failed, then it is sent again once Redis is back, and only once', async () => {
    const redis = downRedis();
    const cache = new RedisProductCache(redis, 'inventory', 5, { warn: () => undefined });
    await cache.invalidate('TEA');
    await cache.invalidate('MUG');
    await cache.retryMissedInvalidations();
    expect(redis.deleted).toEqual([]);
    redis.up = true;
    await cache.retryMissedInvalidations();
    await cache.retryMissedInvalidations();
    expect(redis.deleted).toEqual(['inventory:product:TEA', 'inventory:product:MUG']);
  });
});
