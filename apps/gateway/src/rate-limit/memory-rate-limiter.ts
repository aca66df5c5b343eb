import type { RateLimiter } from './rate-limiter';
import {
  type BucketState,
  type RateLimitDecision,
  type RateLimitPolicy,
  decisionOf,
  refillMs,
  takeToken,
} from './token-bucket';

/**
 * The embedded profile's limiter (no Redis there): the same token bucket in this process's memory.
 * Counts are per gateway process, which is exactly one process in that profile.
 */
export class MemoryRateLimiter implements RateLimiter {
  private readonly buckets = new Map<string, BucketState & { expiresAtMs: number }>();
  private readonly sweeper: NodeJS.Timeout;

  constructor(private readonly now: () => number = Date.now) {
    // Full buckets carry no information: dropping them keeps memory bounded by the active clients.
    this.sweeper = setInterval(() => this.sweep(), 60_000).unref();
  }

  async take(key: string, policy: RateLimitPolicy): Promise<RateLimitDecision> {
    const nowMs = this.now();
    const bucketKey = `${policy.name}:${key}`;
    const current = this.buckets.get(bucketKey);
    const { state, allowed } = takeToken(
      current && current.expiresAtMs > nowMs ? current : undefined,
      nowMs,
      policy,
    );
    this.buckets.set(bucketKey, { ...state, expiresAtMs: nowMs + refillMs(state.tokens, policy) });
    return decisionOf(allowed, state.tokens, policy);
  }

  close(): void {
    clearInterval(this.sweeper);
  }

  private sweep(): void {
    const nowMs = this.now();
    for (const [key, bucket] of this.buckets) if (bucket.expiresAtMs <= nowMs) this.buckets.delete(key);
  }
}
