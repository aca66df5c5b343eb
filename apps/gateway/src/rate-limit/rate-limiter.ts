import type { RateLimitDecision, RateLimitPolicy } from './token-bucket';

/** Takes one request from the bucket of `key`; rejects when the store cannot be reached (the caller fails open). */
export interface RateLimiter {
  take(key: string, policy: RateLimitPolicy): Promise<RateLimitDecision>;
}
