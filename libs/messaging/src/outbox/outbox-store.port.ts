import type { ClaimedOutboxEvent, StoredOutboxEvent } from './outbox-event';
import type { OutboxSignal } from './outbox-signal';

export const OUTBOX_STORE = Symbol('OutboxStore');

export interface ClaimRequest {
  /** The relay instance; only it may record failures on or release its leases. */
  owner: string;
  limit: number;
  leaseMs: number;
  now: Date;
}

export type HeadClaimRequest = Omit<ClaimRequest, 'limit'>;

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
  /** The writer of the events calls `written.notify({ aggregateId, events })` after each commit that added some; relays listen. */
  readonly written: OutboxSignal;
  ensureIndexes(): Promise<void>;
  /**
   * Leases up to `limit` pending events to `owner` for `leaseMs`. Concurrent claimers never get the
   * same event while its lease runs; an expired lease (a relay that died) makes it claimable again.
   */
  claim(request: ClaimRequest): Promise<ClaimedOutboxEvent[]>;
  /**
   * Leases `event` to `owner` for `leaseMs` if it is the oldest pending event of `aggregateId` and
   * no lease holds it; undefined otherwise (an older event waits, another relay holds it, or it is
   * gone). How a relay claims an event its writer has just told it about: one conditional write on
   * the aggregate, where `claim` first scans for aggregates with pending events.
   */
  claimHead(
    aggregateId: string,
    event: Readonly<StoredOutboxEvent>,
    request: HeadClaimRequest,
  ): Promise<ClaimedOutboxEvent | undefined>;
  /** Removes the published event from its aggregate; it is never claimed again. */
  markPublished(claimed: ClaimedOutboxEvent, now: Date): Promise<void>;
  /** Counts a failed attempt and keeps the event back until `nextAttemptAt`. */
  recordFailedAttempt(claimed: ClaimedOutboxEvent, failure: FailedAttempt): Promise<void>;
  /** Gives leases back at once (a relay shutting down), without counting an attempt. */
  release(claimed: readonly ClaimedOutboxEvent[], now: Date): Promise<void>;
}
