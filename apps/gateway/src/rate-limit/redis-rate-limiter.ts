import type Redis from 'ioredis';
import type { RateLimiter } from './rate-limiter';
import { type RateLimitDecision, type RateLimitPolicy, decisionOf } from './token-bucket';

/**
 * takeToken (token-bucket.ts) in one Lua script, so read-refill-take-write is atomic across every
 * gateway instance, taking up to ARGV[3] tokens at once (a lease; at least one is needed to take
 * any). Time comes from Redis (TIME), not from each gateway's clock. The bucket expires once it
 * would be full again, which is the same as no bucket.
 * Returns { tokens taken, tokens left (as a string: Lua numbers would be truncated to integers) }.
 */
const takeTokenScript = `
local quota = tonumber(ARGV[1])
local window_ms = tonumber(ARGV[2])
local wanted = tonumber(ARGV[3])
local time = redis.call('TIME')
local now_ms = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local per_ms = quota / window_ms
local state = redis.call('HMGET', KEYS[1], 'tokens', 'at')
local tokens = quota
if state[1] and state[2] then
  tokens = math.min(quota, tonumber(state[1]) + math.max(0, now_ms - tonumber(state[2])) * per_ms)
end
local taken = 0
if tokens >= 1 then
  taken = math.min(wanted, math.floor(tokens))
  tokens = tokens - taken
end
redis.call('HSET', KEYS[1], 'tokens', string.format('%.17g', tokens), 'at', now_ms)
redis.call('PEXPIRE', KEYS[1], math.ceil((quota - tokens) / per_ms) + 1)
return { taken, string.format('%.17g', tokens) }
`;

type WithTakeToken = Redis & {
  takeRateLimitToken(key: string, quota: number, windowMs: number, wanted: number): Promise<[number, string]>;
};

/** Tokens taken from Redis at once and spent here, so a busy caller costs one round trip per lease. */
interface Lease {
  tokens: number;
  /** What Redis had left when the lease was taken: the caller's remaining quota is this plus `tokens`. */
  leftInRedis: number;
  expiresAt: number;
}

/** A lease not spent within this long is dropped: its tokens are never used (never more than the quota). */
const leaseMs = 1000;
const largestLease = 20;
const leasesKeptBeforeSweep = 10_000;

/**
 * Tokens per lease: 1% of the quota, 1 to 20. With a small quota every request goes to Redis, as
 * before; with a large one a busy caller takes tokens in batches. The bucket stays correct across
 * instances (a token is taken in Redis before it is spent), within what leases hold unspent:
 * fewer than 1% of the quota per instance, for at most a second.
 */
export function leaseSizeOf(policy: RateLimitPolicy): number {
  return Math.min(largestLease, Math.max(1, Math.floor(policy.quota / 100)));
}

/** The limiter of the local, compose and production profiles: shared by every gateway instance. */
export class RedisRateLimiter implements RateLimiter {
  private readonly redis: WithTakeToken;
  private readonly leases = new Map<string, Lease>();
  private readonly pending = new Map<string, Promise<void>>();

  constructor(
    redis: Redis,
    private readonly keyPrefix = 'gateway:rate-limit:',
  ) {
    // defineCommand sends EVALSHA, and the script itself only when Redis answers NOSCRIPT.
    redis.defineCommand('takeRateLimitToken', { numberOfKeys: 1, lua: takeTokenScript });
    this.redis = redis as WithTakeToken;
  }

  async take(key: string, policy: RateLimitPolicy): Promise<RateLimitDecision> {
    const bucket = `${this.keyPrefix}${policy.name}:${key}`;
    const size = leaseSizeOf(policy);
    if (size === 1) {
      const [taken, tokens] = await this.takeFromRedis(bucket, policy, 1);
      return decisionOf(taken === 1, tokens, policy);
    }
    for (;;) {
      const lease = this.leases.get(bucket);
      if (lease && lease.expiresAt > Date.now()) {
        if (lease.tokens >= 1) {
          lease.tokens -= 1;
          return decisionOf(true, lease.leftInRedis + lease.tokens, policy);
        }
        // Redis had nothing left a moment ago: refused here, without asking again until it expires.
        if (lease.leftInRedis < 1) return decisionOf(false, lease.leftInRedis, policy);
      }
      // One request per bucket asks Redis for the next lease; the others wait for it and spend it.
      const pending = this.pending.get(bucket);
      if (pending) {
        await pending;
        continue;
      }
      const renewal = this.renew(bucket, policy, size);
      this.pending.set(bucket, renewal);
      try {
        await renewal;
      } finally {
        this.pending.delete(bucket);
      }
    }
  }

  private async renew(bucket: string, policy: RateLimitPolicy, size: number): Promise<void> {
    const [taken, left] = await this.takeFromRedis(bucket, policy, size);
    // An empty lease remembers the refusal for as long as one token takes to come back, at most a lease.
    const refusedFor = Math.min(leaseMs, (policy.windowSeconds * 1000) / policy.quota);
    this.keep(bucket, {
      tokens: taken,
      leftInRedis: left,
      expiresAt: Date.now() + (taken > 0 ? leaseMs : refusedFor),
    });
  }

  private async takeFromRedis(
    bucket: string,
    policy: RateLimitPolicy,
    wanted: number,
  ): Promise<[number, number]> {
    const [taken, tokens] = await this.redis.takeRateLimitToken(
      bucket,
      policy.quota,
      policy.windowSeconds * 1000,
      wanted,
    );
    return [taken, Number(tokens)];
  }

  private keep(bucket: string, lease: Lease): void {
    if (this.leases.size >= leasesKeptBeforeSweep) {
      const now = Date.now();
      for (const [key, kept] of this.leases) if (kept.expiresAt <= now) this.leases.delete(key);
    }
    this.leases.set(bucket, lease);
  }
}
