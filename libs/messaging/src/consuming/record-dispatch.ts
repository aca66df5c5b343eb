import { context } from '@opentelemetry/api';
import { fromKafkaMessage } from '../envelope/cloud-event-envelope';
import { traceContextOf } from '../envelope/trace-context';
import { InvalidMessageError } from '../invalid-message.error';
import type { IncomingMessage, MessageHandler, MessageHandlerRegistration } from '../message-bus.port';
import type { MessageCatalog } from '../message-catalog';
import { checkReceivedMessage } from '../message-contract-check';
import type { ConsumedRecord } from '../wire-record';

/** topic → wire name → handler */
export type HandlerTable = ReadonlyMap<string, ReadonlyMap<string, MessageHandler>>;

export function handlerTableOf(registrations: MessageHandlerRegistration[]): HandlerTable {
  const table = new Map<string, Map<string, MessageHandler>>();
  for (const { topic, type, handle } of registrations) {
    const byType = table.get(topic) ?? new Map<string, MessageHandler>();
    if (byType.has(type)) throw new Error(`two handlers for ${type} on ${topic}`);
    table.set(topic, byType.set(type, handle));
  }
  return table;
}

export type DispatchDecision =
  | { kind: 'handle'; message: IncomingMessage; handle: MessageHandler }
  /** A valid message this subscription has no handler for: committed and passed over. */
  | { kind: 'ignore' }
  | { kind: 'dead-letter'; reason: string };

/** What to do with a record: the one decision both the kafkajs and the in-memory consumers make. */
export function decideDispatch(
  catalog: MessageCatalog,
  handlers: HandlerTable,
  record: ConsumedRecord,
): DispatchDecision {
  try {
    const envelope = fromKafkaMessage(record);
    const data = checkReceivedMessage(catalog, record.topic, envelope);
    const handle = handlers.get(record.topic)?.get(envelope.type);
    if (!handle) return { kind: 'ignore' };
    const { topic, partition, offset } = record;
    return { kind: 'handle', handle, message: { ...envelope, data, topic, partition, offset } };
  } catch (error) {
    if (error instanceof InvalidMessageError) return { kind: 'dead-letter', reason: error.reason };
    throw error;
  }
}

/** Runs the handler inside the producer's trace context, so its spans continue the trace. */
export function runHandler(decision: { message: IncomingMessage; handle: MessageHandler }): Promise<void> {
  return context.with(traceContextOf(decision.message), () => decision.handle(decision.message));
}
