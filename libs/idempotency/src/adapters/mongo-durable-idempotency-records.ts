import type { Collection, Document, MongoServerError } from 'mongodb';
import { isDuplicateKeyError } from '@platform/persistence';
import { DuplicateIdempotencyKeyError, type IdempotencyRecord, type IdempotencyScope } from '../domain';
import type { DurableIdempotencyRecords } from '../ports';

/** How the record sits inside a document, under one field (default `idempotency`). */
export interface StoredIdempotencyField extends IdempotencyScope, IdempotencyRecord {}

/**
 * Durable records kept in a MongoDB collection, either inside the aggregate's own documents (the
 * order carries its `idempotency` field, written by the same insert) or in a collection of their
 * own. Every document of the collection must carry the field: a unique index counts a missing
 * field as null (a partial index would exempt such documents; the local stand-in has none).
 */
export class MongoDurableIdempotencyRecords implements DurableIdempotencyRecords {
  constructor(
    private readonly collection: Collection<Document>,
    private readonly field = 'idempotency',
  ) {}

  /** The unique index on (user, key) that decides every race, whatever the cache says. */
  async ensureIndex(): Promise<void> {
    await this.collection.createIndex(
      { [`${this.field}.userId`]: 1, [`${this.field}.key`]: 1 },
      { unique: true, name: `${this.field}_user_key_unique` },
    );
  }

  async find(userId: string, key: string): Promise<IdempotencyRecord | undefined> {
    const document = await this.collection.findOne(
      { [`${this.field}.userId`]: userId, [`${this.field}.key`]: key },
      { projection: { [this.field]: 1 } },
    );
    const stored = document?.[this.field] as StoredIdempotencyField | undefined;
    return stored ? { fingerprint: stored.fingerprint, response: stored.response } : undefined;
  }

  /**
   * MongoDB names the violated index's keys, so another unique index (a duplicate `_id`) is not
   * taken for a used key. A server that does not name them (the local stand-in) leaves no way to
   * tell: there, ids must be unique by construction.
   */
  private violatesKeyIndex(error: unknown): boolean {
    if (!isDuplicateKeyError(error)) return false;
    const keyPattern = (error as MongoServerError & { keyPattern?: Document }).keyPattern;
    return keyPattern === undefined || `${this.field}.key` in keyPattern;
  }

  /**
   * Inserts `document` with the record under the field, in one single-document write, so the
   * aggregate exists if and only if its key is recorded. A lost race throws
   * DuplicateIdempotencyKeyError.
   */
  async insertWith(
    scope: IdempotencyScope,
    record: IdempotencyRecord,
    document: Document = {},
  ): Promise<void> {
    const field: StoredIdempotencyField = { userId: scope.userId, key: scope.key, ...record };
    try {
      await this.collection.insertOne({ ...document, [this.field]: field });
    } catch (error) {
      if (this.violatesKeyIndex(error)) throw new DuplicateIdempotencyKeyError(scope);
      throw error;
    }
  }
}
