import type { Admin, Kafka } from 'kafkajs';
import { readTopic, whileLeadershipSettles } from './kafka-client.ts';
import { ledgerTopicOf, positionOf, type TopicRecord } from './wire.ts';

/**
 * Which records of a DLQ were replayed: `<topic>.dlq.replayed`, one record per replay keyed by
 * `partition:offset`. A ledger rather than a consumer group's committed offset, because `--id`
 * replays one message from the middle of a partition and must leave the others replayable.
 */
export async function readLedger(kafka: Kafka, admin: Admin, deadLetterTopic: string): Promise<Set<string>> {
  const ledger = ledgerTopicOf(deadLetterTopic);
  if (!(await admin.listTopics()).includes(ledger)) return new Set();
  const entries = await readTopic(kafka, admin, ledger);
  return new Set(entries.flatMap((entry) => (entry.key === null ? [] : [entry.key])));
}

/** The part of kafkajs' Admin that the ledger's creation needs. */
export type LedgerAdmin = Pick<Admin, 'listTopics' | 'createTopics' | 'fetchTopicOffsets'>;

/**
 * One partition: the ledger is small and read whole. Resolves once its partition has a leader that
 * answers, so the first replay's send does not meet "does not host this topic-partition".
 */
export async function ensureLedger(
  admin: LedgerAdmin,
  deadLetterTopic: string,
  retryDelayMs = 250,
): Promise<string> {
  const ledger = ledgerTopicOf(deadLetterTopic);
  await whileLeadershipSettles(async () => {
    if (!(await admin.listTopics()).includes(ledger))
      await admin.createTopics({ waitForLeaders: true, topics: [{ topic: ledger, numPartitions: 1 }] });
    await admin.fetchTopicOffsets(ledger);
  }, retryDelayMs);
  return ledger;
}

export function ledgerEntryOf(record: TopicRecord, to: string, at: Date): { key: string; value: string } {
  return {
    key: positionOf(record),
    value: JSON.stringify({ ceId: record.headers['ce_id'] ?? null, to, replayedAt: at.toISOString() }),
  };
}
