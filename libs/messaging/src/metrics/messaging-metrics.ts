import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import { readLag, type LagSource } from './consumer-lag';

/** What came of a message a handler was given: done, sent to a retry topic, or parked in the DLQ. */
export type HandlingOutcome = 'ok' | 'retry' | 'dead-letter';

/** Why a message was parked; a category, not the error text, to keep the label's values few. */
export type DeadLetterReason = 'handler-failed' | 'invalid-message';

export interface HandlerLabels {
  group: string;
  /** The topic the message was published to (not the retry topic it was read from). */
  topic: string;
  type: string;
}

/** The consumer metrics both message buses record through. */
export interface MessagingMetrics {
  handlerStarted(group: string): void;
  handlerFinished(group: string): void;
  /** A message whose handler ran, once its outcome is durable (retry or dead letter sent). */
  handled(labels: HandlerLabels, outcome: HandlingOutcome, seconds: number): void;
  deadLettered(labels: { group: string; topic: string; reason: DeadLetterReason }): void;
  /** Adds a source of `messaging_consumer_lag`, read at every scrape; returns what removes it. */
  watchLag(source: LagSource): () => void;
  /** An outbox event published, `seconds` after its state change was committed with it. */
  outboxPublished(seconds: number): void;
  /** An outbox event whose publishing failed; it is kept back and tried again later. */
  outboxPublishFailed(): void;
}

export interface MessagingMetricsOptions {
  /** How long a scrape waits for the lag of each source (a broker round trip); 2 s where absent. */
  lagTimeoutMs?: number;
}

const created = new WeakMap<Registry, MessagingMetrics>();

/**
 * The messaging metrics in `registry`. Once per registry: a second call returns the first's, as
 * prom-client refuses two metrics of one name, and several buses of one app may share a registry.
 */
export function createMessagingMetrics(
  registry: Registry,
  options: MessagingMetricsOptions = {},
): MessagingMetrics {
  const existing = created.get(registry);
  if (existing) return existing;
  const metrics = registerMetrics(registry, options.lagTimeoutMs ?? 2000);
  created.set(registry, metrics);
  return metrics;
}

function registerMetrics(registry: Registry, lagTimeoutMs: number): MessagingMetrics {
  const registers = [registry];
  const duration = new Histogram({
    name: 'messaging_handler_duration_seconds',
    help: 'How long message handlers ran, by outcome.',
    labelNames: ['group', 'topic', 'type', 'outcome'],
    registers,
  });
  const handled = new Counter({
    name: 'messaging_handled_total',
    help: 'Messages given to a handler, by outcome: ok, retry (sent to a retry topic) or dead-letter.',
    labelNames: ['group', 'topic', 'type', 'outcome'],
    registers,
  });
  const deadLettered = new Counter({
    name: 'messaging_dead_lettered_total',
    help: 'Messages parked in a DLQ: handler-failed (retries exhausted) or invalid-message (contract broken).',
    labelNames: ['group', 'topic', 'reason'],
    registers,
  });
  const inFlight = new Gauge({
    name: 'messaging_in_flight_handlers',
    help: 'Handlers running now.',
    labelNames: ['group'],
    registers,
  });
  const lagFailures = new Counter({
    name: 'messaging_consumer_lag_failures_total',
    help: 'Scrapes at which a consumer lag source failed or did not answer in time.',
    registers,
  });
  const outboxDelay = new Histogram({
    name: 'messaging_outbox_publish_delay_seconds',
    help: 'Seconds from an outbox event committed to it published: the backlog as its age (a relay falling behind, a broker down).',
    buckets: [0.005, 0.025, 0.1, 0.25, 1, 5, 30, 120, 600],
    registers,
  });
  const outboxFailures = new Counter({
    name: 'messaging_outbox_publish_failures_total',
    help: 'Outbox events whose publishing failed and that were kept back for another attempt.',
    registers,
  });
  const lagSources = new Set<LagSource>();
  new Gauge({
    name: 'messaging_consumer_lag',
    help: 'Messages appended to a partition that the consumer group has not committed yet.',
    labelNames: ['group', 'topic', 'partition'],
    registers,
    async collect() {
      const samples = await readLag(lagSources, lagTimeoutMs, () => lagFailures.inc());
      // Reset first: a group or partition that is gone must not keep its last value.
      this.reset();
      for (const { group, topic, partition, lag } of samples)
        this.set({ group, topic, partition: String(partition) }, lag);
    },
  });
  return {
    handlerStarted: (group) => inFlight.inc({ group }),
    handlerFinished: (group) => inFlight.dec({ group }),
    handled: (labels, outcome, seconds) => {
      handled.inc({ ...labels, outcome });
      duration.observe({ ...labels, outcome }, seconds);
    },
    deadLettered: (labels) => deadLettered.inc(labels),
    watchLag: (source) => {
      lagSources.add(source);
      return () => void lagSources.delete(source);
    },
    outboxPublished: (seconds) => outboxDelay.observe(seconds),
    outboxPublishFailed: () => outboxFailures.inc(),
  };
}
