export interface RetryBackoff {
  /** The delay ceiling after the first failure; it doubles with every further one. */
  initialMs: number;
  /** No delay is longer than this. */
  maxMs: number;
}

/**
 * Exponential backoff with full jitter: uniform in [0, min(max, initial · 2^(failures−1))), so
 * what failed together spreads out. `random` is in [0, 1). The one backoff of this library: the
 * outbox relay's retries and the consumers' retry topics both draw from it.
 */
export function backoffDelayMs(failures: number, backoff: RetryBackoff, random: () => number): number {
  const ceiling = Math.min(backoff.maxMs, backoff.initialMs * 2 ** Math.max(0, failures - 1));
  return Math.floor(random() * ceiling);
}
