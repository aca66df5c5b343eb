import type { Admin, Kafka } from 'kafkajs';
import { partitionLag, type LagSample } from './consumer-lag';
import type { MessagingMetrics } from './messaging-metrics';

/** The part of kafkajs' Admin that reading the lag needs. */
export type LagAdmin = Pick<Admin, 'connect' | 'disconnect' | 'fetchOffsets' | 'fetchTopicOffsets'>;

/**
 * The lag of the consumer groups a Kafka bus subscribed, read from the broker at each scrape:
 * the partitions' high watermarks against the groups' committed offsets. A group stays watched
 * after its subscription stopped (its lag then grows, which is what an alert wants to see) until
 * the bus disconnects.
 */
export class KafkaConsumerLag {
  private readonly groups = new Map<string, Set<string>>();
  private readonly unwatch: () => void;
  private connected: Promise<LagAdmin> | undefined;

  constructor(
    private readonly adminOf: () => LagAdmin,
    metrics: MessagingMetrics,
  ) {
    this.unwatch = metrics.watchLag(() => this.read());
  }

  static of(kafka: Kafka, metrics: MessagingMetrics): KafkaConsumerLag {
    return new KafkaConsumerLag(() => kafka.admin(), metrics);
  }

  watch(groupId: string, topics: Iterable<string>): void {
    const watched = this.groups.get(groupId) ?? new Set<string>();
    for (const topic of topics) watched.add(topic);
    this.groups.set(groupId, watched);
  }

  async read(): Promise<LagSample[]> {
    const admin = await this.admin();
    const ends = new Map<string, Promise<Map<number, { low: number; high: number }>>>();
    const endsOf = (topic: string) => {
      let topicEnds = ends.get(topic);
      if (!topicEnds) {
        topicEnds = admin
          .fetchTopicOffsets(topic)
          .then(
            (partitions) =>
              new Map(partitions.map((p) => [p.partition, { low: Number(p.low), high: Number(p.high) }])),
          );
        ends.set(topic, topicEnds);
      }
      return topicEnds;
    };
    const samples: LagSample[] = [];
    for (const [group, topics] of this.groups) {
      const committed = await admin.fetchOffsets({ groupId: group, topics: [...topics] });
      for (const { topic, partitions } of committed) {
        const topicEnds = await endsOf(topic);
        for (const { partition, offset } of partitions) {
          const partitionEnds = topicEnds.get(partition);
          if (partitionEnds)
            samples.push({ group, topic, partition, lag: partitionLag(partitionEnds, Number(offset)) });
        }
      }
    }
    return samples;
  }

  async close(): Promise<void> {
    this.unwatch();
    const connected = this.connected;
    this.connected = undefined;
    if (connected) await connected.then((admin) => admin.disconnect()).catch(() => undefined);
  }

  /** Connected at the first scrape, not at start-up: an app that is never scraped opens no admin connection. */
  private admin(): Promise<LagAdmin> {
    if (!this.connected) {
      const admin = this.adminOf();
      const connecting = admin.connect().then(() => admin);
      // A failed connection is tried again at the next scrape.
      connecting.catch(() => {
        if (this.connected === connecting) this.connected = undefined;
      });
      this.connected = connecting;
    }
    return this.connected;
  }
}
