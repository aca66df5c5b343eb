import type { IdempotencyScope } from './idempotency-record';

/**
 * One string naming a (user, key) pair for a cache. Both parts are percent-encoded, so a ':' in a
 * user id or a key cannot make two pairs collide ("a:b" + "c" vs "a" + "b:c").
 */
export function scopedKey({ userId, key }: IdempotencyScope): string {
  return `${encodeURIComponent(userId)}:${encodeURIComponent(key)}`;
}
