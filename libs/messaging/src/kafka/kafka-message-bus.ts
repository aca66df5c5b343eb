import type { Kafka } from 'kafkajs';
import type { MessageBus, RunningSubscription, Subscription } from '../message-bus.port';
import { contractCatalog, type MessageCatalog } from '../message-catalog';
import type { OutgoingMessage } from '../message-publisher.port';
import { startKafkaConsumer } from './kafka-message-consumer';
import { KafkaMessagePublisher } from './kafka-message-publisher';

export interface KafkaMessageBusOptions {
  catalog?: MessageCatalog;
  /** The pause before a message whose handler threw is delivered again. */
  redeliveryDelayMs?: number;
}

/** The message bus over kafkajs: one idempotent producer, one consumer per subscription. */
export class KafkaMessageBus implements MessageBus {
  private readonly catalog: MessageCatalog;
  private readonly publisher: KafkaMessagePublisher;
  private readonly subscriptions = new Set<RunningSubscription>();

  constructor(
    private readonly kafka: Kafka,
    private readonly options: KafkaMessageBusOptions = {},
  ) {
    this.catalog = options.catalog ?? contractCatalog;
    this.publisher = new KafkaMessagePublisher(kafka, this.catalog);
  }

  connect(): Promise<void> {
    return this.publisher.connect();
  }

  publish(message: OutgoingMessage): Promise<void> {
    return this.publisher.publish(message);
  }

  async subscribe(subscription: Subscription): Promise<RunningSubscription> {
    const running = await startKafkaConsumer(this.kafka, subscription, {
      catalog: this.catalog,
      publisher: this.publisher,
      redeliveryDelayMs: this.options.redeliveryDelayMs ?? 500,
    });
    const tracked: RunningSubscription = {
      stop: async () => {
        this.subscriptions.delete(tracked);
        await running.stop();
      },
    };
    this.subscriptions.add(tracked);
    return tracked;
  }

  /** Stops every subscription (each finishes its in-flight handler and commits), then the producer. */
  async disconnect(): Promise<void> {
    await Promise.all([...this.subscriptions].map((subscription) => subscription.stop()));
    await this.publisher.disconnect();
  }
}
