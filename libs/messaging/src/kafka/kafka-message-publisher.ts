import { CompressionTypes, Partitioners, type Kafka, type Producer, type ProducerConfig } from 'kafkajs';
import { toKafkaMessage } from '../envelope/cloud-event-envelope';
import { contractCatalog, type MessageCatalog } from '../message-catalog';
import { checkOutgoingMessage } from '../message-contract-check';
import type { MessagePublisher, OutgoingMessage } from '../message-publisher.port';
import type { WireRecord } from '../wire-record';

/** How the platform's producers are made (the benchmark's Kafka figure uses them too). */
export const producerSettings = {
  // kafkajs 2's default (Java-compatible murmur2), named so it does not warn at every start.
  createPartitioner: Partitioners.DefaultPartitioner,
  // Broker-side deduplication of retried sends: a retry after a lost acknowledgement writes nothing twice.
  idempotent: true,
  // One request in flight keeps a key's messages in order even when a send is retried.
  maxInFlightRequests: 1,
  // Topics are declared at start-up; publishing to an unknown one is a mistake to report, not a topic to create.
  allowAutoTopicCreation: false,
} satisfies ProducerConfig;

/**
 * Publishes through an idempotent kafkajs producer with acks = -1 (all in-sync replicas): a broker
 * retry never writes a message twice, and an acknowledged message survives the loss of a leader.
 * Each publish is sent at once, as one request: kafkajs does not linger to batch.
 */
export class KafkaMessagePublisher implements MessagePublisher {
  private readonly producer: Producer;

  constructor(
    kafka: Kafka,
    private readonly catalog: MessageCatalog = contractCatalog,
  ) {
    this.producer = kafka.producer(producerSettings);
  }

  connect(): Promise<void> {
    return this.producer.connect();
  }

  disconnect(): Promise<void> {
    return this.producer.disconnect();
  }

  async publish(message: OutgoingMessage): Promise<void> {
    checkOutgoingMessage(this.catalog, message);
    await this.publishRecord(message.topic, toKafkaMessage(message));
  }

  /** Sends a record as it is, unchecked: retries, dead letters and replays. */
  async publishRecord(topic: string, record: WireRecord): Promise<void> {
    await this.producer.send({
      topic,
      // All in-sync replicas: required by idempotence, and an acknowledged message survives a leader's loss.
      acks: -1,
      // Messages are small JSON: compressing them costs more time than the bytes it saves.
      compression: CompressionTypes.None,
      messages: [{ key: record.key, value: record.value, headers: record.headers }],
    });
  }
}
