import {
  DuplicateIdempotencyKeyError,
  type IdempotencyRecord,
  type IdempotencyScope,
  scopedKey,
} from '../domain';
import type { DurableIdempotencyRecords } from '../ports';

/**
 * Durable records of one process (embedded profile, tests). `insert` behaves as the owning
 * service's unique index on (user, key): the first insert wins, later ones throw.
 */
export class MemoryDurableIdempotencyRecords implements DurableIdempotencyRecords {
  private readonly records = new Map<string, IdempotencyRecord>();

  async find(userId: string, key: string): Promise<IdempotencyRecord | undefined> {
    return this.records.get(scopedKey({ userId, key }));
  }

  async insert(scope: IdempotencyScope, record: IdempotencyRecord): Promise<void> {
    const name = scopedKey(scope);
    if (this.records.has(name)) throw new DuplicateIdempotencyKeyError(scope);
    this.records.set(name, record);
  }

  get size(): number {
    return this.records.size;
  }
}
