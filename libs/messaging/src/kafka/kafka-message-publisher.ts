import { Partitioners, type Kafka, type Producer } from 'kafkajs';
import { toKafkaMessage } from '../envelope/cloud-event-envelope';
import { contractCatalog, type MessageCatalog } from '../message-catalog';
import { checkOutgoingMessage } from '../message-contract-check';
import type { MessagePublisher, OutgoingMessage } from '../message-publisher.port';
import type { WireRecord } from '../wire-record';

/**
 * Publishes through an idempotent kafkajs producer with acks = -1 (all in-sync replicas): a broker
 * retry never writes a message twice, and an acknowledged message survives the loss of a leader.
 */
export class KafkaMessagePublisher implements MessagePublisher {
  private readonly producer: Producer;

  constructor(
    kafka: Kafka,
    private readonly catalog: MessageCatalog = contractCatalog,
  ) {
    // One request in flight keeps a key's messages in order even when a send is retried.
    this.producer = kafka.producer({
      // kafkajs 2's default (Java-compatible murmur2), named so it does not warn at every start.
      createPartitioner: Partitioners.DefaultPartitioner,
      idempotent: true,
      maxInFlightRequests: 1,
      allowAutoTopicCreation: false,
    });
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
      acks: -1,
      messages: [{ key: record.key, value: record.value, headers: record.headers }],
    });
  }
}
