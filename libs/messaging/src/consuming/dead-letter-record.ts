import type { ConsumedRecord, WireRecord } from '../wire-record';

export const deadLetterHeaders = {
  reason: 'dlq-reason',
  originalTopic: 'dlq-original-topic',
  originalPartition: 'dlq-original-partition',
  originalOffset: 'dlq-original-offset',
} as const;

/** The record as it arrived, byte for byte, with why and where from, so a replay tool can send it back. */
export function toDeadLetterRecord(record: ConsumedRecord, reason: string): WireRecord {
  return {
    key: record.key,
    value: record.value,
    headers: {
      ...record.headers,
      [deadLetterHeaders.reason]: reason,
      [deadLetterHeaders.originalTopic]: record.topic,
      [deadLetterHeaders.originalPartition]: String(record.partition),
      [deadLetterHeaders.originalOffset]: record.offset,
    },
  };
}
