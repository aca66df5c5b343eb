import type { Consumer, EachBatchPayload, Kafka } from 'kafkajs';
import { consumeRecord, handlerTableOf, type ConsumingContext } from '../consuming/record-dispatch';
import {
  consumedTopicsOf,
  msUntilDue,
  type ConsumedTopic,
  type RetryPolicy,
} from '../consuming/retry-topics';
import type { RunningSubscription, Subscription } from '../message-bus.port';
import type { MessageCatalog } from '../message-catalog';
import type { ConsumedRecord } from '../wire-record';
import { headersAsStrings } from './kafka-headers';
import type { KafkaMessagePublisher } from './kafka-message-publisher';

export interface KafkaConsumerOptions {
  catalog: MessageCatalog;
  /** Sends retries and dead letters. */
  publisher: KafkaMessagePublisher;
  retry: RetryPolicy;
  random: () => number;
}

/**
 * One consumer group member, reading the subscribed topics and their retry topics. Offsets are
 * committed by hand, one message at a time, once the message was handled or sent on to a retry
 * topic or the DLQ, so a failing message never holds up its partition. A retry that is not due yet
 * pauses only its own retry partition, and a timer resumes it when it is due; kafkajs then fetches
 * that partition again from the unresolved retry.
 */
export async function startKafkaConsumer(
  kafka: Kafka,
  subscription: Subscription,
  options: KafkaConsumerOptions,
): Promise<RunningSubscription> {
  const handlers = handlerTableOf(subscription.handlers);
  const consumed = consumedTopicsOf(handlers.keys(), options.retry);
  const context: ConsumingContext = {
    catalog: options.catalog,
    handlers,
    groupId: subscription.groupId,
    retry: options.retry,
    random: options.random,
    send: (topic, record) => options.publisher.publishRecord(topic, record),
  };
  const stopping = new AbortController();
  const resumeTimers = new Set<NodeJS.Timeout>();
  const consumer = kafka.consumer({ groupId: subscription.groupId, allowAutoTopicCreation: false });
  await consumer.connect();
  await consumer.subscribe({ topics: [...consumed.keys()], fromBeginning: true });
  await consumer.run({
    autoCommit: false,
    eachBatchAutoResolve: false,
    eachBatch: (payload) =>
      consumeBatch(consumer, consumed, context, payload, stopping.signal, (resume, delayMs) => {
        const timer = setTimeout(() => {
          resumeTimers.delete(timer);
          resume();
        }, delayMs);
        resumeTimers.add(timer);
      }),
  });
  return {
    stop: async () => {
      stopping.abort();
      for (const timer of resumeTimers) clearTimeout(timer);
      resumeTimers.clear();
      // kafkajs waits for the running batch, whose loop ends after the in-flight message; then it leaves the group.
      await consumer.disconnect();
    },
  };
}

async function consumeBatch(
  consumer: Consumer,
  consumed: ReadonlyMap<string, ConsumedTopic>,
  context: ConsumingContext,
  { batch, resolveOffset, heartbeat, pause, isRunning, isStale }: EachBatchPayload,
  stopping: AbortSignal,
  resumeAfter: (resume: () => void, delayMs: number) => void,
): Promise<void> {
  const from = consumed.get(batch.topic);
  if (!from) throw new Error(`a batch of ${batch.topic}, which this subscription does not read`);
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
    const waitMs = msUntilDue(record, from, context.groupId, Date.now());
    if (waitMs > 0) {
      // Unresolved: once resumed, the partition is fetched again from this retry. Other partitions go on.
      resumeAfter(pause(), waitMs);
      return;
    }
    await consumeRecord(context, from, record);
    resolveOffset(message.offset);
    await consumer.commitOffsets([
      { topic: batch.topic, partition: batch.partition, offset: (BigInt(message.offset) + 1n).toString() },
    ]);
    await heartbeat();
  }
}
