import type { Kafka } from 'kafkajs';
import type { MessageBus, RunningSubscription, Subscription } from '../message-bus.port';
import { retryPolicyOf, type RetryPolicy } from '../consuming/retry-topics';
import { contractCatalog, type MessageCatalog } from '../message-catalog';
import type { OutgoingMessage } from '../message-publisher.port';
import { KafkaConsumerLag } from '../metrics/kafka-consumer-lag';
import type { MessagingMetrics } from '../metrics/messaging-metrics';
import { quietKafkaIdleTimers } from './kafkajs-idle-timers';
import { startKafkaConsumer } from './kafka-message-consumer';
import { KafkaMessagePublisher } from './kafka-message-publisher';

export interface KafkaMessageBusOptions {
  catalog?: MessageCatalog;
  /**
   * How a message whose handler threw is retried through `<topic>.retry.<n>` and then parked in
   * `<topic>.dlq`; `defaultRetryPolicy` where absent. `declareTopics` must be given the same
   * `maxAttempts`, or the retry topics are missing.
   */
  retry?: Partial<RetryPolicy>;
  /** In [0, 1): the jitter of the retry backoff; Math.random where absent. */
  random?: () => number;
  /** Consumer metrics (`createMessagingMetrics`): handler outcomes, durations, in-flight handlers, lag. */
  metrics?: MessagingMetrics;
  /** A consumer that kafkajs stopped for good (a crash it does not restart from); `failure()` says so too. */
  onConsumerCrash?: (error: Error) => void;
  /** A consumer that kafkajs gave up on because no broker answered, or its group removed it: it restarts itself after `delayMs`. */
  onConsumerRestart?: (error: Error, delayMs: number) => void;
}

/** The message bus over kafkajs: one idempotent producer, one consumer per subscription. */
export class KafkaMessageBus implements MessageBus {
  private readonly catalog: MessageCatalog;
  private readonly publisher: KafkaMessagePublisher;
  private readonly retry: RetryPolicy;
  private readonly subscriptions = new Set<RunningSubscription>();
  private readonly lag: KafkaConsumerLag | undefined;

  constructor(
    private readonly kafka: Kafka,
    private readonly options: KafkaMessageBusOptions = {},
  ) {
    quietKafkaIdleTimers();
    this.catalog = options.catalog ?? contractCatalog;
    this.publisher = new KafkaMessagePublisher(kafka, this.catalog);
    this.retry = retryPolicyOf(options.retry);
    this.lag = options.metrics && KafkaConsumerLag.of(kafka, options.metrics);
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
      retry: this.retry,
      random: this.options.random ?? Math.random,
      metrics: this.options.metrics,
      lag: this.lag,
      onCrash: this.options.onConsumerCrash,
      onRestart: this.options.onConsumerRestart,
    });
    const tracked: RunningSubscription = {
      // Everything the member tells (joined, failure) as it is; only stop() is tracked here.
      ...running,
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
    await this.lag?.close();
  }
}
