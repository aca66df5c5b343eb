import { Logger } from '@nestjs/common';
import { Kafka, logLevel, type LogEntry } from 'kafkajs';
import type { Registry } from 'prom-client';
import { allTopics } from '@platform/contracts';
import type { ReadinessCheck } from '@platform/observability';
import { InMemoryMessageBus } from '../in-memory/in-memory-message-bus';
import { declareTopics } from '../kafka/declare-topics';
import { createMessagingMetrics, type MessagingMetrics } from '../metrics/messaging-metrics';
import { KafkaMessageBus } from '../kafka/kafka-message-bus';
import type { MessageBus, RunningSubscription, Subscription } from '../message-bus.port';
import type { OutgoingMessage } from '../message-publisher.port';
import { OutboxRelay } from '../outbox/outbox-relay';
import type { OutboxStore } from '../outbox/outbox-store.port';

export interface MessagingSettings {
  /** The Kafka client id and every message's `ce_source`. */
  service: string;
  profile: 'embedded' | 'local' | 'compose' | 'production';
  /** `host:port,host:port`; required unless embedded. */
  brokers?: string;
  /** Partitions of each topic created at start-up (its retry and dead-letter topics too). */
  topicPartitions?: number;
  /** Copies of each partition of a topic created at start-up (1 by default: one local broker). */
  topicReplicationFactor?: number;
  /** The app's Prometheus registry. */
  metrics?: Registry;
}

export interface RelaySettings {
  /** The periodic pass, for events no signal announced (written by another instance, or before a crash). */
  pollIntervalMs?: number;
  leaseMs?: number;
}

/** A service's messaging: the bus it publishes and subscribes on, and the relays of its outboxes. */
export interface MessagingConnection {
  bus: MessageBus;
  readinessChecks: ReadinessCheck[];
  /**
   * Starts a relay publishing the store's pending events on the bus: at once after each
   * `store.written.notify()`, and every `pollIntervalMs` (5 s by default) as a safety net. close() stops it.
   */
  startOutboxRelay(store: OutboxStore, settings?: RelaySettings): OutboxRelay;
  /**
   * Stops the relays and this service's subscriptions (in-flight handlers finish, their offsets are
   * committed, the group is left), then the producer. Close it before the stores the handlers write to.
   */
  close(): Promise<void>;
}

let embeddedBus: InMemoryMessageBus | undefined;

/**
 * The embedded profile's broker. One per process, as one Kafka cluster serves the whole platform:
 * every app started by the embedded runner publishes and subscribes on this same bus.
 */
export function embeddedMessageBus(): InMemoryMessageBus {
  embeddedBus ??= new InMemoryMessageBus();
  return embeddedBus;
}

export async function connectMessaging(settings: MessagingSettings): Promise<MessagingConnection> {
  const logger = new Logger(`${settings.service}.messaging`);
  const metrics = settings.metrics && createMessagingMetrics(settings.metrics);
  if (settings.profile === 'embedded')
    // The shared bus outlives any one service: there is nothing of its own to disconnect.
    return new ServiceMessaging(
      settings.service,
      metrics ? embeddedMessageBus().measuredBy(metrics) : embeddedMessageBus(),
      [],
      logger,
      () => Promise.resolve(),
      false,
      metrics,
    );
  if (!settings.brokers) throw new Error('KAFKA_BROKERS is required outside the embedded profile');
  const kafka = new Kafka({
    clientId: settings.service,
    brokers: settings.brokers.split(',').map((broker) => broker.trim()),
    // A broker that takes longer to accept a connection is down: try the next one, or report it.
    connectionTimeout: 3000,
    // For answers that need no waiting; a fetch is given its broker-side wait on top.
    requestTimeout: 10_000,
    logLevel: logLevel.WARN,
    logCreator: () => (entry) => logKafkaEntry(logger, entry),
  });
  const admin = kafka.admin();
  const bus = new KafkaMessageBus(kafka, {
    metrics,
    onConsumerCrash: (error) =>
      logger.error(`a consumer stopped for good; /readyz and /healthz now fail: ${messageOf(error)}`),
    onConsumerRestart: (error, delayMs) =>
      logger.warn(
        `a consumer was cut off from its group (${messageOf(error)}): restarting it in ${delayMs} ms`,
      ),
  });
  try {
    await admin.connect();
    const created = await declareTopics(admin, allTopics, {
      partitions: settings.topicPartitions ?? 3,
      replicationFactor: settings.topicReplicationFactor ?? 1,
    });
    if (created.length > 0) logger.log(`created topics: ${created.join(', ')}`);
    await bus.connect();
  } catch (error) {
    await Promise.allSettled([admin.disconnect(), bus.disconnect()]);
    throw error;
  }
  const readiness: ReadinessCheck = {
    name: 'kafka',
    check: async () => {
      await admin.describeCluster();
    },
  };
  return new ServiceMessaging(
    settings.service,
    bus,
    [readiness],
    logger,
    async () => {
      await bus.disconnect();
      await admin.disconnect();
    },
    true,
    metrics,
  );
}

/**
 * One service's view of the bus: it tracks what this service subscribed and started, so closing it
 * stops exactly those, whether the bus is the service's own Kafka client or the shared embedded bus.
 */
class ServiceMessaging implements MessagingConnection {
  readonly bus: MessageBus;
  private readonly subscriptions = new Set<RunningSubscription>();
  private readonly relays = new Set<OutboxRelay>();

  readonly readinessChecks: ReadinessCheck[];

  constructor(
    private readonly service: string,
    underlying: MessageBus,
    checks: ReadinessCheck[],
    private readonly logger: Logger,
    private readonly disconnect: () => Promise<void>,
    /** A broker's group: members join it after subscribing. In memory they own their partitions at once. */
    joinsGroups = true,
    private readonly metrics?: MessagingMetrics,
  ) {
    const subscriptions = this.subscriptions;
    // Live at once, ready once every consumer has joined its group (after a crash, the broker holds
    // the dead member's partitions for its session timeout first).
    const joining: ReadinessCheck = {
      name: 'consumer-groups',
      check: async () => {
        const count = [...subscriptions].filter((subscription) => !subscription.joined()).length;
        if (count > 0) throw new Error(`${count} consumer group member(s) still joining`);
      },
    };
    // A member the client stopped for good consumes nothing until the process restarts: not ready,
    // and not live either, so that the orchestrator restarts it.
    const consuming: ReadinessCheck = {
      name: 'consumers',
      failsLiveness: true,
      check: async () => {
        const failures = [...subscriptions].flatMap((subscription) => subscription.failure() ?? []);
        if (failures.length > 0)
          throw new Error(
            `${failures.length} consumer(s) stopped after an error the client does not restart from: ` +
              failures.map(messageOf).join('; '),
          );
      },
    };
    this.readinessChecks = joinsGroups ? [...checks, joining, consuming] : checks;
    this.bus = {
      publish: (message: OutgoingMessage) => underlying.publish(message),
      subscribe: async (subscription: Subscription) => {
        const running = await underlying.subscribe(subscription);
        const tracked: RunningSubscription = {
          // Everything the member tells (joined, failure) as it is; only stop() is tracked here.
          ...running,
          stop: async () => {
            subscriptions.delete(tracked);
            await running.stop();
          },
        };
        subscriptions.add(tracked);
        return tracked;
      },
    };
  }

  startOutboxRelay(store: OutboxStore, settings: RelaySettings = {}): OutboxRelay {
    const relay = new OutboxRelay({
      store,
      publisher: this.bus,
      source: this.service,
      ...settings,
      metrics: this.metrics,
      onError: (error, { step, eventId }) =>
        this.logger.warn(
          `outbox relay: ${step}${eventId ? ` of event ${eventId}` : ''} failed: ${messageOf(error)}`,
        ),
    });
    relay.start();
    this.relays.add(relay);
    return relay;
  }

  async close(): Promise<void> {
    // Relays first: what they have claimed is published or given back while the producer still runs.
    await Promise.allSettled([...this.relays].map((relay) => relay.stop()));
    await Promise.allSettled([...this.subscriptions].map((subscription) => subscription.stop()));
    await this.disconnect();
  }
}

function logKafkaEntry(logger: Logger, { level, log }: LogEntry): void {
  const text = `${log.message}${log['error'] ? `: ${String(log['error'])}` : ''}`;
  if (level === logLevel.ERROR || level === logLevel.NOTHING) logger.error(text);
  else if (level === logLevel.WARN) logger.warn(text);
  else logger.debug?.(text);
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
