import type { IdempotencyRecord, StoredResponse } from './idempotency-record';

export type IdempotencyDecision =
  | { kind: 'proceed' }
  | { kind: 'replay'; response: StoredResponse }
  /** Same key, different request: 422. */
  | { kind: 'mismatch' }
  /** Same key while the first request is still running: 409. */
  | { kind: 'in-flight' };

export interface KnownState {
  /** The finished request under this key, from the durable store or the cache. */
  finished?: IdempotencyRecord | undefined;
  /** Another request holds the in-flight lock of this key. */
  lockedByAnother?: boolean;
}

/**
 * What to do with a request, given what the stores know about its key. A finished record wins
 * over a lock: once the first request is done, its answer is final whatever else is running.
 */
export function decide(fingerprint: string, known: KnownState): IdempotencyDecision {
  if (known.finished) {
    return known.finished.fingerprint === fingerprint
      ? { kind: 'replay', response: known.finished.response }
      : { kind: 'mismatch' };
  }
  return known.lockedByAnother ? { kind: 'in-flight' } : { kind: 'proceed' };
}
