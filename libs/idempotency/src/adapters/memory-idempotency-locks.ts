import { randomUUID } from 'node:crypto';
import { type IdempotencyRecord, type IdempotencyScope, scopedKey } from '../domain';
import type { IdempotencyLocks, LockLease } from '../ports';

interface Expiring<T> {
  value: T;
  expiresAt: number;
}

/**
 * The locks of one process (embedded profile, tests). The clock is injected so tests can expire
 * leases and cached records without waiting.
 */
export class MemoryIdempotencyLocks implements IdempotencyLocks {
  private readonly locks = new Map<string, Expiring<string>>();
  private readonly finished = new Map<string, Expiring<IdempotencyRecord>>();

  constructor(private readonly now: () => number = Date.now) {}

  async findFinished(scope: IdempotencyScope): Promise<IdempotencyRecord | undefined> {
    return this.live(this.finished, scopedKey(scope))?.value;
  }

  async acquire(scope: IdempotencyScope, leaseMs: number): Promise<LockLease | undefined> {
    const name = scopedKey(scope);
    if (this.live(this.locks, name)) return undefined;
    const token = randomUUID();
    this.locks.set(name, { value: token, expiresAt: this.now() + leaseMs });
    return { scope, token };
  }

  async finish(
    scope: IdempotencyScope,
    record: IdempotencyRecord,
    retentionMs: number,
    lease?: LockLease,
  ): Promise<void> {
    this.finished.set(scopedKey(scope), { value: record, expiresAt: this.now() + retentionMs });
    if (lease) await this.release(lease);
  }

  async release(lease: LockLease): Promise<boolean> {
    const name = scopedKey(lease.scope);
    if (this.live(this.locks, name)?.value !== lease.token) return false;
    this.locks.delete(name);
    return true;
  }

  /** Forgets everything, as a Redis flush would. */
  clear(): void {
    this.locks.clear();
    this.finished.clear();
  }

  private live<T>(entries: Map<string, Expiring<T>>, name: string): Expiring<T> | undefined {
    const entry = entries.get(name);
    if (entry && entry.expiresAt <= this.now()) {
      entries.delete(name);
      return undefined;
    }
    return entry;
  }
}
