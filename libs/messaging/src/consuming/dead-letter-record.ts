import type { ConsumedRecord, WireRecord } from '../wire-record';

export const deadLetterHeaders = {
  reason: 'dlq-reason',
  originalTopic: 'dlq-original-topic',
  originalPartition: 'dlq-original-partition',
  originalOffset: 'dlq-original-offset',
  /** How many times a handler tried the message; absent when it was parked without a try (a broken contract). */
  attempts: 'dlq-attempts',
  /** The consumer group whose handler gave up; absent when the message was parked without a try. */
  group: 'dlq-group',
} as const;

/** What a handler failure adds to a dead letter. */
export interface HandlerFailureDetails {
  attempts: number;
  groupId: string;
}

/**
 * The record as it arrived, byte for byte, with why and where from, so a replay tool can send it
 * back. `record` is the record as it was on its original topic (for a retried message, the view of
 * it that `originalViewOf` gives), so the origin headers name the topic a replay goes back to.
 * Headers of earlier retries or dead-lettering are dropped: they describe a past life of the record.
 */
export function toDeadLetterRecord(
  record: ConsumedRecord,
  reason: string,
  failure?: HandlerFailureDetails,
): WireRecord {
  return {
    key: record.key,
    value: record.value,
    headers: {
      ...withoutDeliveryHeaders(record.headers),
      [deadLetterHeaders.reason]: reason,
      [deadLetterHeaders.originalTopic]: record.topic,
      [deadLetterHeaders.originalPartition]: String(record.partition),
      [deadLetterHeaders.originalOffset]: record.offset,
      ...(failure && {
        [deadLetterHeaders.attempts]: String(failure.attempts),
        [deadLetterHeaders.group]: failure.groupId,
      }),
    },
  };
}

/** The headers without those this library adds when it retries or parks a record (`retry-*`, `dlq-*`). */
export function withoutDeliveryHeaders(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(headers).filter(([name]) => !name.startsWith('retry-') && !name.startsWith('dlq-')),
  );
}
