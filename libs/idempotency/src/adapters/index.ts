export { MemoryDurableIdempotencyRecords } from './memory-durable-idempotency-records';
export { MemoryIdempotencyLocks } from './memory-idempotency-locks';
export {
  MongoDurableIdempotencyRecords,
  type StoredIdempotencyField,
} from './mongo-durable-idempotency-records';
export { RedisIdempotencyLocks } from './redis-idempotency-locks';
