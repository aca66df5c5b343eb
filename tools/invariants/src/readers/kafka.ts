import type { Admin, Kafka } from 'kafkajs';
import type { DeadLetterFacts, PartitionLag } from '../rules.ts';
import { deadLetterSuffix, readTopic, whileLeadershipSettles } from '../sibling-tools.ts';

/**
 * Every record of the dead-letter topics (`topics`, else every `*.dlq` topic), read with the DLQ
 * tool's reader, a few topics at a time. A named topic that does not exist holds nothing.
 */
export async function readDeadLetters(
  kafka: Kafka,
  admin: Admin,
  topics: readonly string[] | undefined,
  concurrency = 4,
): Promise<{ letters: DeadLetterFacts[]; notes: string[] }> {
  const existing = new Set(await admin.listTopics());
  const wanted = topics ?? [...existing].filter((topic) => topic.endsWith(deadLetterSuffix)).sort();
  const notes = wanted
    .filter((topic) => !existing.has(topic))
    .map((topic) => `dead-letter topic ${topic} does not exist: nothing parked there`);
  const queue = wanted.filter((topic) => existing.has(topic));
  const letters: DeadLetterFacts[] = [];
  const worker = async () => {
    for (let topic = queue.shift(); topic !== undefined; topic = queue.shift())
      for (const { partition, offset, headers } of await readTopic(kafka, admin, topic))
        letters.push({ topic, partition, offset, headers });
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  letters.sort(
    (a, b) =>
      a.topic.localeCompare(b.topic) || a.partition - b.partition || Number(a.offset) - Number(b.offset),
  );
  return { letters, notes };
}

/**
 * How far each group is behind, per partition of every topic it has committed offsets on: the end
 * of the partition minus the group's committed offset. A partition of such a topic without a
 * commit counts whole (what it retains), as a group that starts from the earliest offset (the
 * services' default) would read it. A group without any commit has consumed nothing: it is named
 * in a note, not counted.
 */
export async function readLags(
  admin: Admin,
  groups: readonly string[],
): Promise<{ lags: PartitionLag[]; notes: string[] }> {
  const lags: PartitionLag[] = [];
  const notes: string[] = [];
  for (const groupId of groups) {
    const committedTopics = (await admin.fetchOffsets({ groupId })).map(({ topic }) => topic);
    if (committedTopics.length === 0) {
      notes.push(`consumer group ${groupId} has no committed offsets (it never consumed, or does not exist)`);
      continue;
    }
    const existing = new Set(await admin.listTopics());
    const topics = committedTopics.filter((topic) => existing.has(topic));
    for (const topic of committedTopics.filter((name) => !existing.has(name)))
      notes.push(`consumer group ${groupId} has offsets on ${topic}, which no longer exists`);
    const committed = await admin.fetchOffsets({ groupId, topics });
    for (const { topic, partitions } of committed) {
      const ends = await whileLeadershipSettles(() => admin.fetchTopicOffsets(topic));
      for (const { partition, high, low } of ends) {
        const offset = partitions.find((each) => each.partition === partition)?.offset ?? '-1';
        const from = offset === '-1' ? Number(low) : Number(offset);
        lags.push({ groupId, topic, partition, lag: Math.max(0, Number(high) - from) });
      }
    }
  }
  return { lags, notes };
}
