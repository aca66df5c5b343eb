import type Redis from 'ioredis';
import type { RateLimiter } from './rate-limiter';
import { type RateLimitDecision, type RateLimitPolicy, decisionOf } from './token-bucket';

/**
 * takeToken (token-bucket.ts) in one Lua script, so read-refill-take-write is atomic across every
 * gateway instance. Time comes from Redis (TIME), not from each gateway's clock. The bucket
 * expires once it would be full again, which is the same as no bucket.
 * Returns { allowed (1|0), tokens left (as a string: Lua numbers would be truncated to integers) }.
 */
const takeTokenScript = `
local quota = tonumber(ARGV[1])
local window_ms = tonumber(ARGV[2])
local time = redis.call('TIME')
local now_ms = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local per_ms = quota / window_ms
local state = redis.call('HMGET', KEYS[1], 'tokens', 'at')
local tokens = quota
if state[1] and state[2] then
  tokens = math.min(quota, tonumber(state[1]) + math.max(0, now_ms - tonumber(state[2])) * per_ms)
end
local allowed = 0
if tokens >= 1 then
  tokens = tokens - 1
  allowed = 1
end
redis.call('HSET', KEYS[1], 'tokens', string.format('%.17g', tokens), 'at', now_ms)
redis.call('PEXPIRE', KEYS[1], math.ceil((quota - tokens) / per_ms) + 1)
return { allowed, string.format('%.17g', tokens) }
`;

type WithTakeToken = Redis & {
  takeRateLimitToken(key: string, quota: number, windowMs: number): Promise<[number, string]>;
};

/** The limiter of the local, compose and production profiles: shared by every gateway instance. */
export class RedisRateLimiter implements RateLimiter {
  private readonly redis: WithTakeToken;

  constructor(
    redis: Redis,
    private readonly keyPrefix = 'gateway:rate-limit:',
  ) {
    // defineCommand sends EVALSHA, and the script itself only when Redis answers NOSCRIPT.
    redis.defineCommand('takeRateLimitToken', { numberOfKeys: 1, lua: takeTokenScript });
    this.redis = redis as WithTakeToken;
  }

  async take(key: string, policy: RateLimitPolicy): Promise<RateLimitDecision> {
    const [allowed, tokens] = await this.redis.takeRateLimitToken(
      `${this.keyPrefix}${policy.name}:${key}`,
      policy.quota,
      policy.windowSeconds * 1000,
    );
    return decisionOf(allowed === 1, Number(tokens), policy);
  }
}
