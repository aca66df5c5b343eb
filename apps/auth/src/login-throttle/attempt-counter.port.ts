export const ATTEMPT_COUNTER = Symbol('AttemptCounter');

export interface WindowCount {
  count: number;
  /** Milliseconds until the window (which starts at the first hit) ends and the count drops to zero. */
  resetInMs: number;
}

/** Fixed-window counters by key; Redis in local/compose, a map in embedded, one contract suite for both. */
export interface AttemptCounter {
  /** Adds one, atomically; the first hit of a key starts its window of `windowMs`. */
  hit(key: string, windowMs: number): Promise<WindowCount>;
  /** Takes one back (never below zero), keeping the window. */
  forgive(key: string): Promise<void>;
  reset(key: string): Promise<void>;
}
