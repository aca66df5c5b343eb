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
  /** Written as 'pending' and never changed: the relay removes a published event from the array. */
  state: 'pending' | 'published';
  /** Written as 0 and never changed: the relay counts failed attempts in its leases. */
  attempts: number;
}

/**
 * A document (of any collection) that carries pending events, oldest first. Aggregate ids are
 * strings. Writers build these fields with `outboxFieldsOf` or `withOutboxAppended` only.
 */
export interface OutboxDocument {
  outbox?: StoredOutboxEvent[];
  /**
   * Present, and true, exactly while `outbox` holds events: an indexed top-level field, so finding
   * the aggregates with waiting events is an index lookup, not a scan through every `outbox` array.
   */
  outboxPending?: true;
}

/** An event a relay holds a lease on: it alone publishes it until `leaseUntil`. */
export interface ClaimedOutboxEvent {
  aggregateId: string;
  event: Readonly<StoredOutboxEvent>;
  /** Failed publish attempts before this claim. */
  attempts: number;
  owner: string;
  leaseId: string;
  leaseUntil: Date;
}
