export const INBOX = Symbol('Inbox');

export type InboxOutcome<T> = { kind: 'processed'; result: T } | { kind: 'duplicate' };

/**
 * How long an attempt holds an event before another delivery may take it over: longer than any
 * effect takes, and as long as the redelivery after a consumer's crash mid-effect waits.
 */
export const defaultProcessingLeaseMs = 30_000;

/**
 * Another delivery of the same event is being processed right now (a rebalance hands a partition
 * over mid-message), or was, by a consumer that died mid-effect and whose lease has not run out.
 * The caller must fail this delivery so it is retried later, not skip it: the other attempt may
 * still fail. It is contention, not a failure of the handler: the consumer retries it once the
 * lease is over without counting a try (`routeHandlerFailure`).
 */
export class InboxEventInProgressError extends Error {
  readonly code = 'INBOX.EVENT_IN_PROGRESS';

  constructor(
    readonly consumerGroup: string,
    readonly eventId: string,
    /** When the other attempt's lease runs out and this delivery may take the event over. */
    readonly leaseUntil?: Date,
  ) {
    super(`event ${eventId} is already being processed by consumer group ${consumerGroup}`);
    this.name = 'InboxEventInProgressError';
  }
}

/**
 * The idempotent consumer's record of processed events (`ce_id`), per consumer group. The MongoDB
 * and in-memory adapters pass one contract suite (test/inbox.contract.ts).
 */
export interface Inbox {
  ensureIndexes(): Promise<void>;
  /**
   * Runs `effect` unless this group has processed `eventId` before. A failing effect is not
   * recorded, so the redelivery runs it again; a concurrent duplicate throws
   * InboxEventInProgressError.
   */
  runOnce<T>(consumerGroup: string, eventId: string, effect: () => Promise<T>): Promise<InboxOutcome<T>>;
}

/** The key of one processed event; also the marker stored inside documents by the single-document helper. */
export function inboxKeyOf(consumerGroup: string, eventId: string): string {
  return `${consumerGroup}:${eventId}`;
}
