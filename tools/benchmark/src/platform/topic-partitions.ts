import { Kafka, logLevel } from 'kafkajs';

/** The topics the order saga's commands, replies and events travel on (@platform/contracts' `topics`). */
export const sagaTopics = [
  'orders.events.v1',
  'inventory.commands.v1',
  'inventory.events.v1',
  'payments.commands.v1',
  'payments.events.v1',
] as const;

/**
 * Gives each of `topics` that exists with fewer than `partitions` partitions that many (a consumer
 * group uses at most one member per partition). Missing topics are left to the services, which
 * create them with KAFKA_TOPIC_PARTITIONS. Adding partitions moves keys to new partitions: fine for
 * a benchmark's fresh orders on a development broker, not something to do to a production topic
 * with work in flight. Returns what it changed, as lines to print.
 */
export async function ensurePartitions(
  env: Record<string, string | undefined>,
  topics: readonly string[],
  partitions: number,
): Promise<string[]> {
  const kafka = new Kafka({
    clientId: 'benchmark-partitions',
    brokers: (env['KAFKA_BROKERS'] || '127.0.0.1:9092').split(',').map((broker) => broker.trim()),
    logLevel: logLevel.NOTHING,
  });
  const admin = kafka.admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const { topics: described } = await admin.fetchTopicMetadata({
      topics: topics.filter((topic) => existing.has(topic)),
    });
    const fewer = described.filter((topic) => topic.partitions.length < partitions);
    if (fewer.length > 0)
      await admin.createPartitions({
        validateOnly: false,
        timeout: 30_000,
        topicPartitions: fewer.map(({ name }) => ({ topic: name, count: partitions })),
      });
    return fewer.map(({ name, partitions: had }) => `${name}: ${had.length} → ${partitions} partitions`);
  } finally {
    await admin.disconnect();
  }
}
