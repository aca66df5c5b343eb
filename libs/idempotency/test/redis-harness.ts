import { once } from 'node:events';
import { randomUUID } from 'node:crypto';
import type Redis from 'ioredis';
import { createRedisClient } from '@platform/persistence';
import { requireInfrastructure } from '@platform/testing';

export const redisUrl = process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379';

/** A client on the shared Redis and a key prefix of this run only: tests never touch other keys. */
export async function connectRedis(name: string): Promise<{ redis: Redis; prefix: string }> {
  const redis = createRedisClient(redisUrl, name);
  await requireInfrastructure(`Redis at ${redisUrl}`, () => once(redis, 'ready'));
  return { redis, prefix: `test:idempotency:${randomUUID()}:` };
}

/** Deletes this prefix's keys matching `pattern`: a flush of this test's data only. */
export async function deleteKeys(redis: Redis, prefix: string, pattern = '*'): Promise<number> {
  let deleted = 0;
  for await (const keys of redis.scanStream({ match: `${prefix}${pattern}`, count: 100 })) {
    const batch = keys as string[];
    if (batch.length > 0) deleted += await redis.del(...batch);
  }
  return deleted;
}

/** The one key of this prefix matching `pattern`; fails the test when there is not exactly one. */
export async function onlyKey(redis: Redis, prefix: string, pattern: string): Promise<string> {
  const found: string[] = [];
  for await (const keys of redis.scanStream({ match: `${prefix}${pattern}`, count: 100 }))
    found.push(...(keys as string[]));
  const [key, ...others] = found;
  if (key === undefined || others.length > 0)
    throw new Error(`expected one key ${pattern}, found ${found.length}`);
  return key;
}
