import { randomUUID } from 'node:crypto';
import type { MessageDefinition, PayloadOf } from '@platform/contracts';
import type { StoredOutboxEvent } from '@platform/messaging';

/** Where an event comes from: the command it answers (its trace and saga), or an HTTP request. */
export interface EventOrigin {
  traceparent: string | null;
  tracestate?: string | null;
  correlationId?: string | null;
}

/** A pending outbox event of a contract message, its payload checked now rather than at publication. */
export function newOutboxEvent<TDefinition extends MessageDefinition>(
  definition: TDefinition,
  data: PayloadOf<TDefinition>,
  origin: EventOrigin,
  now: Date,
): StoredOutboxEvent {
  return {
    id: randomUUID(),
    type: definition.name,
    occurredAt: now,
    data: definition.schema.parse(data),
    traceparent: origin.traceparent,
    tracestate: origin.tracestate ?? null,
    correlationId: origin.correlationId ?? null,
    state: 'pending',
    attempts: 0,
  };
}
