import { z } from 'zod';
import type { IdempotencyRecord } from '../domain';

const cachedRecordSchema = z.object({
  fingerprint: z.string(),
  response: z.object({
    status: z.number().int(),
    body: z.unknown(),
    headers: z.record(z.string(), z.string()),
  }),
});

/**
 * Reads a record back from the cache. An entry that is not a record (another version's format, or
 * corrupted) throws: the caller treats the cache as failed, logs it and asks the durable store.
 */
export function parseCachedRecord(text: string): IdempotencyRecord {
  return cachedRecordSchema.parse(JSON.parse(text)) as IdempotencyRecord;
}
