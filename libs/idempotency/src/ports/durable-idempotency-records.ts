import type { IdempotencyRecord } from '../domain';

/**
 * The durable record of a key, kept by the owning service next to its aggregate: it writes the
 * record in the same single-document insert as the aggregate (an order), so its unique index on
 * (user, key) decides races, and throws DuplicateIdempotencyKeyError when that index rejects one.
 * Only the read is part of this port; the write belongs to the service's own insert.
 */
export interface DurableIdempotencyRecords {
  find(userId: string, key: string): Promise<IdempotencyRecord | undefined>;
}
