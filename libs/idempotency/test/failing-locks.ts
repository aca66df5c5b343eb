import type { IdempotencyLocks } from '../src';

type Method = keyof IdempotencyLocks;

/** Delegates to real locks, except the named calls, which fail as an unreachable Redis does. */
export function failingLocks(locks: IdempotencyLocks, failing: Method[]): IdempotencyLocks {
  const fail = (method: Method) => () => Promise.reject(new Error(`redis down (${method})`));
  return {
    findFinished: failing.includes('findFinished')
      ? fail('findFinished')
      : (scope) => locks.findFinished(scope),
    acquire: failing.includes('acquire')
      ? fail('acquire')
      : (scope, leaseMs) => locks.acquire(scope, leaseMs),
    finish: failing.includes('finish')
      ? fail('finish')
      : (scope, record, retentionMs, lease) => locks.finish(scope, record, retentionMs, lease),
    release: failing.includes('release') ? fail('release') : (lease) => locks.release(lease),
  };
}
