import { randomUUID } from 'node:crypto';
import type { StoredOutboxEvent } from './outbox-event';

/** When an event happened and what caused it. */
export interface OutboxEventOrigin {
  now: Date;
  /** W3C trace context of the request or message that caused the event; null/absent: none. */
  traceparent?: string | null;
  tracestate?: string | null;
  /** The saga id, when the event belongs to one. */
  correlationId?: string | null;
}

/**
 * A new pending outbox event with a fresh id (its `ce_id`). `type` is the name the relay routes by:
 * a message name of @platform/contracts unless the relay is given its own route.
 */
export function newOutboxEvent(type: string, data: unknown, origin: OutboxEventOrigin): StoredOutboxEvent {
  return {
    id: randomUUID(),
    type,
    occurredAt: origin.now,
    data,
    traceparent: origin.traceparent ?? null,
    tracestate: origin.tracestate ?? null,
    correlationId: origin.correlationId ?? null,
    state: 'pending',
    attempts: 0,
  };
}
