export type { DurableIdempotencyRecords } from './durable-idempotency-records';
export type { IdempotencyLocks, LockLease } from './idempotency-locks';
