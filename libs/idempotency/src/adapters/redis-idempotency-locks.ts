import { randomUUID } from 'node:crypto';
import type Redis from 'ioredis';
import { type IdempotencyRecord, type IdempotencyScope, scopedKey } from '../domain';
import type { IdempotencyLocks, LockLease } from '../ports';
import { parseCachedRecord } from './cached-record';

/** Deletes the lock only if it still holds the caller's token: a lease that expired and was re-taken stays. */
const releaseScript = `
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0
`;

/** Caches the record and releases the caller's lock in one step, so no one sees "unlocked, not cached". */
const finishScript = `
redis.call('SET', KEYS[2], ARGV[2], 'PX', ARGV[3])
if ARGV[1] ~= '' and redis.call('GET', KEYS[1]) == ARGV[1] then
  redis.call('DEL', KEYS[1])
end
return 1
`;

type WithScripts = Redis & {
  releaseIdempotencyLock(lockKey: string, token: string): Promise<number>;
  finishIdempotentRequest(
    lockKey: string,
    recordKey: string,
    token: string,
    record: string,
    retentionMs: number,
  ): Promise<number>;
};

/** The locks shared by every instance: `SET NX PX` with a random token, released by its owner only. */
export class RedisIdempotencyLocks implements IdempotencyLocks {
  private readonly redis: WithScripts;

  constructor(
    redis: Redis,
    private readonly keyPrefix = 'idempotency:',
  ) {
    // defineCommand sends EVALSHA, and the script itself only when Redis answers NOSCRIPT.
    redis.defineCommand('releaseIdempotencyLock', { numberOfKeys: 1, lua: releaseScript });
    redis.defineCommand('finishIdempotentRequest', { numberOfKeys: 2, lua: finishScript });
    this.redis = redis as WithScripts;
  }

  async findFinished(scope: IdempotencyScope): Promise<IdempotencyRecord | undefined> {
    const cached = await this.redis.get(this.keysOf(scope).record);
    return cached === null ? undefined : parseCachedRecord(cached);
  }

  async acquire(scope: IdempotencyScope, leaseMs: number): Promise<LockLease | undefined> {
    const token = randomUUID();
    const reply = await this.redis.set(this.keysOf(scope).lock, token, 'PX', leaseMs, 'NX');
    return reply === 'OK' ? { scope, token } : undefined;
  }

  async finish(
    scope: IdempotencyScope,
    record: IdempotencyRecord,
    retentionMs: number,
    lease?: LockLease,
  ): Promise<void> {
    const keys = this.keysOf(scope);
    await this.redis.finishIdempotentRequest(
      keys.lock,
      keys.record,
      lease?.token ?? '',
      JSON.stringify(record),
      retentionMs,
    );
  }

  async release(lease: LockLease): Promise<boolean> {
    return (await this.redis.releaseIdempotencyLock(this.keysOf(lease.scope).lock, lease.token)) === 1;
  }

  /** Both keys of a scope share a hash tag, so a Redis Cluster keeps them in one slot (the script needs both). */
  private keysOf(scope: IdempotencyScope): { lock: string; record: string } {
    const tag = `${this.keyPrefix}{${scopedKey(scope)}}`;
    return { lock: `${tag}:lock`, record: `${tag}:record` };
  }
}
