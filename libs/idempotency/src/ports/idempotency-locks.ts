import type { IdempotencyRecord, IdempotencyScope } from '../domain';

/** Proof of holding a key's in-flight lock: only the holder's token can release it. */
export interface LockLease {
  scope: IdempotencyScope;
  token: string;
}

/**
 * The fast path and the in-flight lock (Redis in production). Nothing here is the guarantee: a
 * flushed or unreachable cache costs speed, never correctness, because the durable record decides.
 */
export interface IdempotencyLocks {
  /** The cached record of a finished request under this key, if still cached. */
  findFinished(scope: IdempotencyScope): Promise<IdempotencyRecord | undefined>;
  /** Takes the key's lock for `leaseMs`, or answers undefined while another holder has it. */
  acquire(scope: IdempotencyScope, leaseMs: number): Promise<LockLease | undefined>;
  /** Caches the finished record for `retentionMs` and, atomically, releases the lease if still owned. */
  finish(
    scope: IdempotencyScope,
    record: IdempotencyRecord,
    retentionMs: number,
    lease?: LockLease,
  ): Promise<void>;
  /** Releases the lease if its token still owns the lock (not after it expired and was re-taken). */
  release(lease: LockLease): Promise<boolean>;
}
