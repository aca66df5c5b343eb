import { toKafkaMessage } from '../envelope/cloud-event-envelope';
import { consumeRecord, handlerTableOf, type ConsumingContext } from '../consuming/record-dispatch';
import {
  consumedTopicsOf,
  delay,
  msUntilDue,
  retryPolicyOf,
  type ConsumedTopic,
  type RetryPolicy,
} from '../consuming/retry-topics';
import type { MessageBus, RunningSubscription, Subscription } from '../message-bus.port';
import { contractCatalog, type MessageCatalog } from '../message-catalog';
import { checkOutgoingMessage } from '../message-contract-check';
import type { OutgoingMessage } from '../message-publisher.port';
import type { ConsumedRecord, WireRecord } from '../wire-record';
import type { LagSample } from '../metrics/consumer-lag';
import { measuredConsuming, type MeasuredConsuming } from '../metrics/measured-consuming';
import type { MessagingMetrics } from '../metrics/messaging-metrics';

export interface InMemoryMessageBusOptions {
  catalog?: MessageCatalog;
  /** Partitions of every topic; keys hash onto them as on a broker. */
  partitions?: number;
  /** Retries through `<topic>.retry.<n>`, then `<topic>.dlq`, as on the broker; `defaultRetryPolicy` where absent. */
  retry?: Partial<RetryPolicy>;
  /** In [0, 1): the jitter of the retry backoff; Math.random where absent. */
  random?: () => number;
  /** Consumer metrics of the subscriptions made on the bus itself; see `measuredBy` for others. */
  metrics?: MessagingMetrics;
}

interface Member {
  /** The subscribed topics and their retry topics. */
  topics: ReadonlyMap<string, ConsumedTopic>;
  consuming: MeasuredConsuming;
  stopping: AbortController;
  inFlight: Set<Promise<void>>;
}

interface ConsumerGroup {
  members: Member[];
  /** `topic/partition` → the next offset to deliver. */
  committed: Map<string, number>;
  /** `topic/partition` of the partitions whose delivery loop runs. */
  running: Set<string>;
  /** Every topic a member ever read: the group's lag is reported for them after the members stopped. */
  topics: Set<string>;
}

/**
 * Kafka's semantics that services rely on, in one process (the embedded profile): per-key order
 * (one partition per key, one delivery at a time per partition and group), at-least-once (the
 * offset moves only after the handler resolved or the message went on to a retry topic), consumer groups (each group reads every message,
 * members of one group share the partitions), retry topics for messages whose handler threw (the
 * partition moves on; a retry partition waits on a timer until its next retry is due), and a DLQ
 * for messages that break their contract or exhaust their retries.
 */
export class InMemoryMessageBus implements MessageBus {
  private readonly catalog: MessageCatalog;
  private readonly partitions: number;
  private readonly retry: RetryPolicy;
  private readonly random: () => number;
  private readonly metrics: MessagingMetrics | undefined;
  private readonly logs = new Map<string, ConsumedRecord[][]>();
  private readonly groups = new Map<string, ConsumerGroup>();
  private waiters: (() => void)[] = [];
  /** The groups subscribed with each metrics, whose lag those metrics report. */
  private readonly lagWatched = new Map<MessagingMetrics, Set<string>>();

  constructor(options: InMemoryMessageBusOptions = {}) {
    this.catalog = options.catalog ?? contractCatalog;
    this.partitions = options.partitions ?? 3;
    this.retry = retryPolicyOf(options.retry);
    this.random = options.random ?? Math.random;
    this.metrics = options.metrics;
  }

  /**
   * The bus as seen by an app with its own metrics registry: the embedded profile shares one bus
   * among the apps of the process, and each app's metrics count only its own subscriptions.
   */
  measuredBy(metrics: MessagingMetrics): MessageBus {
    return {
      publish: (message) => this.publish(message),
      subscribe: (subscription) => this.subscribeWith(subscription, metrics),
    };
  }

  /** Each partition's records not yet committed by `groupId`, for the topics its members read. */
  lagOf(groupId: string): LagSample[] {
    const group = this.groups.get(groupId);
    if (!group) return [];
    return [...group.topics].flatMap((topic) =>
      this.logOf(topic).map((records, partition) => ({
        group: groupId,
        topic,
        partition,
        lag: records.length - (group.committed.get(`${topic}/${partition}`) ?? 0),
      })),
    );
  }

  async publish(message: OutgoingMessage): Promise<void> {
    checkOutgoingMessage(this.catalog, message);
    this.publishRecord(message.topic, toKafkaMessage(message));
  }

  /** Appends a record as it is, unchecked: what a DLQ replay does, or a producer that is not ours. */
  publishRecord(topic: string, record: WireRecord): void {
    const log = this.logOf(topic);
    const partition = partitionOf(record.key, this.partitions);
    const entries = log[partition] ?? [];
    entries.push({ ...record, topic, partition, offset: String(entries.length) });
    this.wakeAll();
  }

  /** Every record of a topic, partition after partition: how tests and tools read a DLQ. */
  recordsOf(topic: string): ConsumedRecord[] {
    return (this.logs.get(topic) ?? []).flat();
  }

  subscribe(subscription: Subscription): Promise<RunningSubscription> {
    return this.subscribeWith(subscription, this.metrics);
  }

  private async subscribeWith(
    subscription: Subscription,
    metrics: MessagingMetrics | undefined,
  ): Promise<RunningSubscription> {
    const handlers = handlerTableOf(subscription.handlers);
    const context: ConsumingContext = {
      catalog: this.catalog,
      handlers,
      groupId: subscription.groupId,
      retry: this.retry,
      random: this.random,
      send: async (topic, record) => this.publishRecord(topic, record),
    };
    const member: Member = {
      topics: consumedTopicsOf(handlers.keys(), this.retry),
      consuming: measuredConsuming(context, metrics),
      stopping: new AbortController(),
      inFlight: new Set(),
    };
    const group = this.groupOf(subscription.groupId);
    if (subscription.startAt === 'latest') this.commitLatestIfNew(group, member.topics.keys());
    group.members.push(member);
    for (const topic of member.topics.keys()) group.topics.add(topic);
    if (metrics) this.watchLag(metrics, subscription.groupId);
    for (const topic of member.topics.keys()) {
      for (let partition = 0; partition < this.partitions; partition++)
        this.startDelivery(group, topic, partition);
    }
    this.wakeAll();
    return {
      // One process, no broker: a member owns its partitions as it subscribes.
      joined: () => true,
      failure: () => undefined,
      stop: async () => {
        member.stopping.abort();
        group.members = group.members.filter((other) => other !== member);
        this.wakeAll();
        await Promise.all(member.inFlight);
      },
    };
  }

  /** A group that has committed nothing on a topic starts after its last record, like Kafka's `fromBeginning: false`. */
  private commitLatestIfNew(group: ConsumerGroup, topics: Iterable<string>): void {
    for (const topic of topics)
      for (let partition = 0; partition < this.partitions; partition++) {
        const slot = `${topic}/${partition}`;
        if (!group.committed.has(slot)) group.committed.set(slot, this.logOf(topic)[partition]?.length ?? 0);
      }
  }

  private startDelivery(group: ConsumerGroup, topic: string, partition: number): void {
    const slot = `${topic}/${partition}`;
    if (group.running.has(slot)) return;
    group.running.add(slot);
    void this.deliver(group, topic, partition).catch((error: unknown) => {
      group.running.delete(slot);
      throw error;
    });
  }

  // One loop per group and partition: a partition's messages are consumed one at a time, in order.
  private async deliver(group: ConsumerGroup, topic: string, partition: number): Promise<void> {
    const slot = `${topic}/${partition}`;
    for (;;) {
      const owner = ownerOf(group, topic, partition);
      const from = owner?.topics.get(topic);
      if (!owner || !from) {
        // In the same turn as the check: a member that joins after it starts a loop of its own.
        group.running.delete(slot);
        return;
      }
      const offset = group.committed.get(slot) ?? 0;
      const record = this.logOf(topic)[partition]?.[offset];
      if (!record) {
        await new Promise<void>((resolve) => this.waiters.push(resolve));
        continue;
      }
      const { context, consume } = owner.consuming;
      const waitMs = msUntilDue(record, from, context.groupId, Date.now());
      if (waitMs > 0) {
        // Only this retry partition waits; then the loop looks again (the owner may have changed).
        await delay(waitMs, owner.stopping.signal);
        continue;
      }
      const consumed = consume(from, () => consumeRecord(context, from, record)).then(() =>
        group.committed.set(slot, offset + 1),
      );
      const tracked = consumed.then(
        () => undefined,
        () => undefined,
      );
      owner.inFlight.add(tracked);
      await consumed.finally(() => owner.inFlight.delete(tracked));
    }
  }

  private logOf(topic: string): ConsumedRecord[][] {
    let log = this.logs.get(topic);
    if (!log) {
      log = Array.from({ length: this.partitions }, () => []);
      this.logs.set(topic, log);
    }
    return log;
  }

  private groupOf(groupId: string): ConsumerGroup {
    let group = this.groups.get(groupId);
    if (!group) {
      group = { members: [], committed: new Map(), running: new Set(), topics: new Set() };
      this.groups.set(groupId, group);
    }
    return group;
  }

  private watchLag(metrics: MessagingMetrics, groupId: string): void {
    let groups = this.lagWatched.get(metrics);
    if (!groups) {
      const watched = new Set<string>();
      metrics.watchLag(async () => [...watched].flatMap((watchedGroup) => this.lagOf(watchedGroup)));
      this.lagWatched.set(metrics, watched);
      groups = watched;
    }
    groups.add(groupId);
  }

  private wakeAll(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const wake of waiters) wake();
  }
}

/** The member that owns a partition: partitions dealt round-robin over the members that read the topic. */
function ownerOf(group: ConsumerGroup, topic: string, partition: number): Member | undefined {
  const readers = group.members.filter((member) => member.topics.has(topic));
  return readers.length === 0 ? undefined : readers[partition % readers.length];
}

/** FNV-1a of the key; records without a key go to partition 0. */
function partitionOf(key: string | null, partitions: number): number {
  if (key === null) return 0;
  let hash = 0x811c9dc5;
  for (const char of Buffer.from(key)) hash = Math.imul(hash ^ char, 0x01000193) >>> 0;
  return hash % partitions;
}
