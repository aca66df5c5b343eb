import { defaultRetryPolicy } from '../consuming/retry-topics';
import { deadLetterTopicOf, retryTopicsOf } from '../topic-names';
import { withLeadershipRetries } from './leadership-retries';

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
  /** The consumers' retry policy's `maxAttempts` (`defaultRetryPolicy`'s where absent): one retry topic per retry. */
  maxAttempts?: number;
}

/**
 * Creates whichever of the topics, their retry topics and their dead-letter topics are missing (the broker does not
 * create topics by itself); existing ones are left as they are, so it runs at every start-up.
 * Returns the topics it created.
 */
export async function declareTopics(
  admin: TopicAdmin,
  topics: readonly string[],
  options: TopicDeclarationOptions,
): Promise<string[]> {
  // On a broker that just started, waiting for the new topics' leaders can fail with a retriable
  // "does not host this topic-partition" while their metadata spreads: declaring again is safe
  // (the topics then exist) and waits for the rest.
  const created = new Set<string>();
  await withLeadershipRetries(() => createMissing(admin, topics, options, created));
  return [...created];
}

/** Adds each topic it asks the broker to create to `created` first: a failed wait still created them. */
async function createMissing(
  admin: TopicAdmin,
  topics: readonly string[],
  options: TopicDeclarationOptions,
  created: Set<string>,
): Promise<void> {
  const existing = new Set(await admin.listTopics());
  const maxAttempts = options.maxAttempts ?? defaultRetryPolicy.maxAttempts;
  const declared = topics.flatMap((topic) => [
    topic,
    ...retryTopicsOf(topic, maxAttempts),
    deadLetterTopicOf(topic),
  ]);
  const missing = [...new Set(declared)].filter((topic) => !existing.has(topic));
  if (missing.length === 0) return;
  for (const topic of missing) created.add(topic);
  await admin.createTopics({
    waitForLeaders: true,
    topics: missing.map((topic) => ({
      topic,
      numPartitions: options.partitions,
      replicationFactor: options.replicationFactor ?? 1,
    })),
  });
}
