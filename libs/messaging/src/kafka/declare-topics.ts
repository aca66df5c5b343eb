import { deadLetterTopicOf } from '../topic-names';

/** The part of kafkajs' Admin that topic declaration needs. */
export interface TopicAdmin {
  listTopics(): Promise<string[]>;
  createTopics(options: {
    waitForLeaders?: boolean;
    topics: { topic: string; numPartitions?: number; replicationFactor?: number }[];
  }): Promise<boolean>;
}

export interface TopicDeclarationOptions {
  /** At least 3 in the local setups, so a consumer group can scale out to 3 members. */
  partitions: number;
  replicationFactor?: number;
}

/**
 * Creates whichever of the topics and their dead-letter topics are missing (the broker does not
 * create topics by itself); existing ones are left as they are, so it runs at every start-up.
 * Returns the topics it created.
 */
export async function declareTopics(
  admin: TopicAdmin,
  topics: readonly string[],
  options: TopicDeclarationOptions,
): Promise<string[]> {
  const existing = new Set(await admin.listTopics());
  const missing = [...new Set(topics.flatMap((topic) => [topic, deadLetterTopicOf(topic)]))].filter(
    (topic) => !existing.has(topic),
  );
  if (missing.length === 0) return [];
  await admin.createTopics({
    waitForLeaders: true,
    topics: missing.map((topic) => ({
      topic,
      numPartitions: options.partitions,
      replicationFactor: options.replicationFactor ?? 1,
    })),
  });
  return missing;
}
