/**
 * The record format @platform/messaging writes to `<topic>.dlq` (libs/messaging/src/consuming/
 * dead-letter-record.ts, envelope/envelope-headers.ts). Restated here because a tooling project may
 * not depend on a data-access library; libs/messaging/test/dlq-replay.int.spec.ts runs this tool
 * against dead letters the real KafkaMessageBus parked, so the two cannot drift apart unnoticed.
 */
export const deadLetterHeaders = {
  reason: 'dlq-reason',
  originalTopic: 'dlq-original-topic',
  originalPartition: 'dlq-original-partition',
  originalOffset: 'dlq-original-offset',
  attempts: 'dlq-attempts',
  group: 'dlq-group',
} as const;

export const ceHeaders = { id: 'ce_id', type: 'ce_type', time: 'ce_time' } as const;

export const deadLetterSuffix = '.dlq';

/** A record read from a partition, with string headers. */
export interface TopicRecord {
  topic: string;
  partition: number;
  offset: string;
  /** Epoch ms the broker stamped: when the record was parked. */
  timestamp: number;
  key: string | null;
  value: Buffer | null;
  headers: Record<string, string>;
}

/** Where a replay sends a record and what it sends: the record as it was first published. */
export interface Replay {
  topic: string;
  key: string | null;
  value: Buffer | null;
  headers: Record<string, string>;
}

/**
 * The record as it was before it failed: same key, value and CloudEvents headers (so `ce_id` is the
 * same, and consumers' inboxes recognise a message they already applied), without the `dlq-*` and
 * `retry-*` headers of its failed life. Throws when the record does not name its original topic.
 */
export function replayOf(record: TopicRecord): Replay {
  const topic = record.headers[deadLetterHeaders.originalTopic];
  if (!topic)
    throw new Error(
      `${positionOf(record)} has no ${deadLetterHeaders.originalTopic} header: not a dead letter of @platform/messaging`,
    );
  const headers = Object.fromEntries(
    Object.entries(record.headers).filter(([name]) => !name.startsWith('dlq-') && !name.startsWith('retry-')),
  );
  return { topic, key: record.key, value: record.value, headers };
}

/** `partition:offset`, how the tool names a record. */
export function positionOf(record: { partition: number; offset: string }): string {
  return `${record.partition}:${record.offset}`;
}

/** The topic that keeps which records of `deadLetterTopic` were replayed. */
export function ledgerTopicOf(deadLetterTopic: string): string {
  return `${deadLetterTopic}.replayed`;
}
