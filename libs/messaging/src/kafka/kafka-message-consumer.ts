import type { Consumer, EachBatchPayload, Kafka } from 'kafkajs';
import { toDeadLetterRecord } from '../consuming/dead-letter-record';
import { decideDispatch, handlerTableOf, runHandler, type HandlerTable } from '../consuming/record-dispatch';
import { redeliveryPause } from '../consuming/redelivery-pause';
import type { RunningSubscription, Subscription } from '../message-bus.port';
import type { MessageCatalog } from '../message-catalog';
import { deadLetterTopicOf } from '../topic-names';
import type { ConsumedRecord } from '../wire-record';
import { headersAsStrings } from './kafka-headers';
import type { KafkaMessagePublisher } from './kafka-message-publisher';

export interface KafkaConsumerOptions {
  catalog: MessageCatalog;
  /** Sends dead letters. */
  publisher: KafkaMessagePublisher;
  redeliveryDelayMs: number;
}

/**
 * One consumer group member. Offsets are committed by hand, one message at a time, after its
 * handler resolved; a handler that throws leaves its offset unresolved, so kafkajs fetches the
 * partition again from that message after a pause.
 */
export async function startKafkaConsumer(
  kafka: Kafka,
  subscription: Subscription,
  options: KafkaConsumerOptions,
): Promise<RunningSubscription> {
  const handlers = handlerTableOf(subscription.handlers);
  const stopping = new AbortController();
  const consumer = kafka.consumer({ groupId: subscription.groupId, allowAutoTopicCreation: false });
  await consumer.connect();
  await consumer.subscribe({ topics: [...handlers.keys()], fromBeginning: true });
  await consumer.run({
    autoCommit: false,
    eachBatchAutoResolve: false,
    eachBatch: (payload) => consumeBatch(consumer, handlers, payload, options, stopping.signal),
  });
  return {
    stop: async () => {
      stopping.abort();
      // kafkajs waits for the running batch, whose loop ends after the in-flight message; then it leaves the group.
      await consumer.disconnect();
    },
  };
}

async function consumeBatch(
  consumer: Consumer,
  handlers: HandlerTable,
  { batch, resolveOffset, heartbeat, isRunning, isStale }: EachBatchPayload,
  options: KafkaConsumerOptions,
  stopping: AbortSignal,
): Promise<void> {
  for (const message of batch.messages) {
    if (!isRunning() || isStale() || stopping.aborted) return;
    const record: ConsumedRecord = {
      topic: batch.topic,
      partition: batch.partition,
      offset: message.offset,
      key: message.key?.toString() ?? null,
      value: message.value,
      headers: headersAsStrings(message.headers),
    };
    const decision = decideDispatch(options.catalog, handlers, record);
    if (decision.kind === 'dead-letter') {
      await options.publisher.publishRecord(
        deadLetterTopicOf(record.topic),
        toDeadLetterRecord(record, decision.reason),
      );
    } else if (decision.kind === 'handle') {
      try {
        await runHandler(decision);
      } catch {
        // Unresolved: the partition is fetched again from this message, after a pause.
        await redeliveryPause(options.redeliveryDelayMs, stopping);
        return;
      }
    }
    resolveOffset(message.offset);
    await consumer.commitOffsets([
      { topic: batch.topic, partition: batch.partition, offset: (BigInt(message.offset) + 1n).toString() },
    ]);
    await heartbeat();
  }
}
