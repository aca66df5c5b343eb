import type { IdempotencyScope } from './idempotency-record';

/**
 * Thrown by the owning service when its unique index on (user, key) rejects an insert: another
 * request with the same key was stored first. The orchestrator answers it from that record.
 */
export class DuplicateIdempotencyKeyError extends Error {
  constructor(readonly scope: IdempotencyScope) {
    super('a request with this idempotency key was already stored');
    this.name = 'DuplicateIdempotencyKeyError';
  }
}
