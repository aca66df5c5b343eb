/**
 * An integration event waiting in its aggregate's own document (the `outbox` array), written in
 * the same single-document write as the state change that caused it.
 */
export interface StoredOutboxEvent {
  /** Becomes the message's `ce_id`; unique across all aggregates (a UUID). */
  id: string;
  type: string;
  occurredAt: Date;
  data: unknown;
  /** W3C trace context of the request that caused the event, so the relay continues its trace. */
  traceparent: string | null;
  tracestate?: string | null;
  /** The saga id, when the event belongs to one. */
  correlationId?: string | null;
  /** Written as 'pending'; the relay removes the event once published rather than rewriting it. */
  state: 'pending' | 'published';
  /** Kept for the writers' shape; the relay counts attempts in its lease records, not here. */
  attempts: number;
}

/** A document (of any collection) that carries pending events. Aggregate ids are strings. */
export interface OutboxDocument {
  outbox?: StoredOutboxEvent[];
}

/** An event a relay holds a lease on: it alone publishes it until `leaseUntil`. */
export interface ClaimedOutboxEvent {
  aggregateId: string;
  /** Exactly as stored; the store removes it by this value, so it must not be changed. */
  event: Readonly<StoredOutboxEvent>;
  /** Failed publish attempts before this claim. */
  attempts: number;
  owner: string;
  leaseId: string;
  leaseUntil: Date;
}
