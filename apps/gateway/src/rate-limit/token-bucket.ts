/**
 * Token bucket: `quota` tokens, refilled continuously at `quota` per `windowSeconds`; a request
 * takes one. Bursts up to the quota are allowed, the long-run rate never exceeds it, and there is
 * no window edge at which twice the quota gets through (as with fixed windows).
 *
 * This is the reference the Redis Lua script (redis-rate-limiter.ts) mirrors line by line.
 */
export interface RateLimitPolicy {
  /** The name clients read in `RateLimit-Policy` and `RateLimit`: `anonymous` or `user`. */
  name: string;
  quota: number;
  windowSeconds: number;
}

export interface BucketState {
  tokens: number;
  updatedAtMs: number;
}

export interface RateLimitDecision {
  allowed: boolean;
  /** Whole requests left now (`r`). */
  remaining: number;
  /** Seconds until the bucket is full again, i.e. the whole quota is back (`t`). */
  resetSeconds: number;
  /** When refused: seconds until one request would be allowed (`Retry-After`). */
  retryAfterSeconds: number;
}

export function takeToken(
  state: BucketState | undefined,
  nowMs: number,
  policy: RateLimitPolicy,
): { state: BucketState; allowed: boolean } {
  const perMs = policy.quota / (policy.windowSeconds * 1000);
  let tokens = state
    ? Math.min(policy.quota, state.tokens + Math.max(0, nowMs - state.updatedAtMs) * perMs)
    : policy.quota;
  const allowed = tokens >= 1;
  if (allowed) tokens -= 1;
  return { state: { tokens, updatedAtMs: nowMs }, allowed };
}

/** What the headers say, from the tokens left after this request. */
export function decisionOf(allowed: boolean, tokens: number, policy: RateLimitPolicy): RateLimitDecision {
  const secondsPerToken = policy.windowSeconds / policy.quota;
  return {
    allowed,
    remaining: Math.floor(tokens),
    resetSeconds: Math.ceil((policy.quota - tokens) * secondsPerToken),
    retryAfterSeconds: allowed ? 0 : Math.max(1, Math.ceil((1 - tokens) * secondsPerToken)),
  };
}

/** How long an idle bucket must be kept: after that it is full again, the same as no bucket at all. */
export function refillMs(tokens: number, policy: RateLimitPolicy): number {
  return Math.ceil(((policy.quota - tokens) * policy.windowSeconds * 1000) / policy.quota);
}
