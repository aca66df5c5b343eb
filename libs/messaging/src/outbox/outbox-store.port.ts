import type { ClaimedOutboxEvent } from './outbox-event';
import type { OutboxSignal } from './outbox-signal';

export const OUTBOX_STORE = Symbol('OutboxStore');

export interface ClaimRequest {
  /** The relay instance; only it may record failures on or release its leases. */
  owner: string;
  limit: number;
  leaseMs: number;
  now: Date;
}

export interface FailedAttempt {
  now: Date;
  /** The event is not claimable again before this time (the relay's backoff). */
  nextAttemptAt: Date;
  error: string;
}

/**
 * What an outbox relay needs from the store that holds pending events. Every adapter passes one
 * contract suite (test/outbox-store.contract.ts).
 *
 * Ordering: only the oldest pending event of each aggregate is claimable, so one aggregate's events
 * are published in the order they were written, retries included.
 */
export interface OutboxStore {
  /** The writer of the events calls `written.notify()` after each commit that added some; relays listen. */
  readonly written: OutboxSignal;
  ensureIndexes(): Promise<void>;
  /**
   * Leases up to `limit` pending events to `owner` for `leaseMs`. Concurrent claimers never get the
   * same event while its lease runs; an expired lease (a relay that died) makes it claimable again.
   */
  claim(request: ClaimRequest): Promise<ClaimedOutboxEvent[]>;
  /** Removes the published event from its aggregate; it is never claimed again. */
  markPublished(claimed: ClaimedOutboxEvent, now: Date): Promise<void>;
  /** Counts a failed attempt and keeps the event back until `nextAttemptAt`. */
  recordFailedAttempt(claimed: ClaimedOutboxEvent, failure: FailedAttempt): Promise<void>;
  /** Gives leases back at once (a relay shutting down), without counting an attempt. */
  release(claimed: readonly ClaimedOutboxEvent[], now: Date): Promise<void>;
}
