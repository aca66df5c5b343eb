import { RedisIdempotencyLocks } from '../src';
import {
  CONTRACT_LEASE_MS,
  CONTRACT_RETENTION_MS,
  describeIdempotencyLocksContract,
} from './idempotency-locks.contract';
import { connectRedis, deleteKeys, onlyKey } from './redis-harness';

describeIdempotencyLocksContract('Redis', async () => {
  const { redis, prefix } = await connectRedis('idempotency-contract');
  return {
    locks: new RedisIdempotencyLocks(redis, prefix),
    // Deleting the lock keys is what their PX expiry does.
    expireLeases: async () => {
      await deleteKeys(redis, prefix, '*:lock');
    },
    close: async () => {
      await deleteKeys(redis, prefix);
      redis.disconnect();
    },
  };
});

describe('RedisIdempotencyLocks expiry', () => {
  it('when a lock is taken and a record cached, then both carry their expiry', async () => {
    const { redis, prefix } = await connectRedis('idempotency-expiry');
    try {
      const locks = new RedisIdempotencyLocks(redis, prefix);
      const scope = { userId: 'alice', key: 'k' };
      await locks.acquire(scope, CONTRACT_LEASE_MS);
      await locks.finish(
        { ...scope, key: 'other' },
        { fingerprint: 'fp', response: { status: 202, body: null, headers: {} } },
        CONTRACT_RETENTION_MS,
      );
      const lockTtl = await redis.pttl(await onlyKey(redis, prefix, '*:lock'));
      const recordTtl = await redis.pttl(await onlyKey(redis, prefix, '*:record'));
      expect(lockTtl).toBeGreaterThan(0);
      expect(lockTtl).toBeLessThanOrEqual(CONTRACT_LEASE_MS);
      expect(recordTtl).toBeGreaterThan(CONTRACT_LEASE_MS);
      expect(recordTtl).toBeLessThanOrEqual(CONTRACT_RETENTION_MS);
    } finally {
      await deleteKeys(redis, prefix);
      redis.disconnect();
    }
  });

  it('when the cached entry is not a record, then reading it fails instead of replaying garbage', async () => {
    const { redis, prefix } = await connectRedis('idempotency-corrupt');
    try {
      const locks = new RedisIdempotencyLocks(redis, prefix);
      const scope = { userId: 'alice', key: 'k' };
      await locks.finish(
        scope,
        { fingerprint: 'fp', response: { status: 202, body: null, headers: {} } },
        CONTRACT_RETENTION_MS,
      );
      await redis.set(await onlyKey(redis, prefix, '*:record'), '{"not":"a record"}');
      await expect(locks.findFinished(scope)).rejects.toThrow();
    } finally {
      await deleteKeys(redis, prefix);
      redis.disconnect();
    }
  });
});
