import { SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { fromKafkaMessage } from '../envelope/cloud-event-envelope';
import { traceContextOf } from '../envelope/trace-context';
import { InvalidMessageError } from '../invalid-message.error';
import type { IncomingMessage, MessageHandler, MessageHandlerRegistration } from '../message-bus.port';
import type { MessageCatalog } from '../message-catalog';
import { checkReceivedMessage } from '../message-contract-check';
import { deadLetterTopicOf } from '../topic-names';
import type { ConsumedRecord, WireRecord } from '../wire-record';
import { toDeadLetterRecord } from './dead-letter-record';
import {
  isRetryOf,
  originalViewOf,
  routeHandlerFailure,
  type ConsumedTopic,
  type RetryPolicy,
} from './retry-topics';

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

const tracer = trace.getTracer('@platform/messaging');

/**
 * Runs the handler in a consumer span that is a child of the producer's span (its `traceparent`),
 * so the trace of a request continues across Kafka into every handler it caused, and the handler's
 * own spans (database calls, published messages) nest under it.
 */
export function runHandler(
  decision: { message: IncomingMessage; handle: MessageHandler },
  groupId: string,
): Promise<void> {
  const { message } = decision;
  return tracer.startActiveSpan(
    `process ${message.type}`,
    {
      kind: SpanKind.CONSUMER,
      attributes: {
        'messaging.system': 'kafka',
        'messaging.operation.type': 'process',
        'messaging.destination.name': message.topic,
        'messaging.destination.partition.id': String(message.partition),
        'messaging.kafka.offset': Number(message.offset),
        'messaging.consumer.group.name': groupId,
        'messaging.message.id': message.id,
        'cloudevents.event_type': message.type,
      },
    },
    traceContextOf(message),
    async (span) => {
      try {
        await decision.handle(message);
      } catch (error) {
        span.recordException(error instanceof Error ? error : String(error));
        span.setStatus({ code: SpanStatusCode.ERROR });
        throw error;
      } finally {
        span.end();
      }
    },
  );
}

/** What a consumer group member needs to consume a record, whichever client delivers it. */
export interface ConsumingContext {
  catalog: MessageCatalog;
  handlers: HandlerTable;
  groupId: string;
  retry: RetryPolicy;
  /** In [0, 1): the jitter of the retry backoff. */
  random: () => number;
  /** Appends a record to a topic: retries and dead letters. Resolves once it is durable. */
  send(topic: string, record: WireRecord): Promise<void>;
}

/**
 * Consumes one record of a source or retry topic whose time has come (see `notBeforeOf`): hands it
 * to its handler, and when the handler throws, sends it on to the next retry topic or, after the
 * last try, to the DLQ. Resolves when the record's offset may be committed: the partition never
 * waits for a failing message. Rejects only when sending a retry or a dead letter failed, so the
 * offset stays where it is.
 */
export async function consumeRecord(
  context: ConsumingContext,
  from: ConsumedTopic,
  record: ConsumedRecord,
): Promise<void> {
  if (from.retry > 0 && !isRetryOf(record, context.groupId)) return;
  const original = originalViewOf(record, from);
  const decision = decideDispatch(context.catalog, context.handlers, original);
  if (decision.kind === 'dead-letter') {
    await context.send(deadLetterTopicOf(original.topic), toDeadLetterRecord(original, decision.reason));
  } else if (decision.kind === 'handle') {
    try {
      await runHandler(decision, context.groupId);
    } catch (error) {
      const next = routeHandlerFailure(
        { original, attempts: from.retry + 1, error, groupId: context.groupId },
        context.retry,
        Date.now(),
        context.random,
      );
      await context.send(next.topic, next.record);
    }
  }
}
