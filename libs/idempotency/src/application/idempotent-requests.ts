import { Logger } from '@nestjs/common';
import {
  DuplicateIdempotencyKeyError,
  type IdempotencyDecision,
  type IdempotencyRecord,
  type IdempotentRequest,
  type StoredResponse,
  decide,
} from '../domain';
import type { DurableIdempotencyRecords, IdempotencyLocks, LockLease } from '../ports';

/** docs/api.md#idempotency-key: keys are kept at least 24 hours. */
export const DEFAULT_RETENTION_MS = 24 * 60 * 60 * 1000;
/** Longer than any order creation should take; past it the unique index still decides. */
export const DEFAULT_LEASE_MS = 30_000;

export type IdempotentOutcome =
  | { kind: 'executed'; response: StoredResponse }
  | { kind: 'replayed'; response: StoredResponse }
  | { kind: 'mismatch' }
  | { kind: 'in-flight' };

/** The one logger call used here, injectable so tests can observe degradation. */
export type IdempotencyLogger = Pick<Logger, 'warn'>;

export interface IdempotentRequestsOptions {
  leaseMs?: number;
  retentionMs?: number;
  logger?: IdempotencyLogger;
}

/**
 * Runs a request at most once per (user, key). Order of checks: the cache (fast path), the in-flight
 * lock, the durable record (read under the lock, so a holder that just finished is seen), then
 * `execute`. A new key reads the durable store once: under load every round trip on the way to
 * the insert waits for the store. When the lock is taken, the durable record says whether that is
 * a request still in flight or a finished one whose cached answer was lost. The cache failing only
 * costs speed: every step that reads it degrades to the durable store, whose unique index makes a
 * second execution fail with DuplicateIdempotencyKeyError, which is answered from the record that won.
 */
export class IdempotentRequests {
  private readonly leaseMs: number;
  private readonly retentionMs: number;
  private readonly logger: IdempotencyLogger;

  constructor(
    private readonly locks: IdempotencyLocks,
    private readonly records: DurableIdempotencyRecords,
    options: IdempotentRequestsOptions = {},
  ) {
    this.leaseMs = options.leaseMs ?? DEFAULT_LEASE_MS;
    this.retentionMs = options.retentionMs ?? DEFAULT_RETENTION_MS;
    this.logger = options.logger ?? new Logger('Idempotency');
  }

  /**
   * `execute` performs the request and writes the durable record (the request's user, key and
   * fingerprint with the response it returns) in the same insert as its aggregate.
   */
  async handle(
    request: IdempotentRequest,
    execute: (request: IdempotentRequest) => Promise<StoredResponse>,
  ): Promise<IdempotentOutcome> {
    const cached = await this.findCached(request);
    if (cached && cached.kind !== 'proceed') return outcomeOf(cached);

    const lock = await this.acquire(request);
    if (lock.kind === 'taken') {
      const durable = await this.findDurable(request);
      return durable.kind === 'proceed' ? { kind: 'in-flight' } : outcomeOf(durable);
    }
    const lease = lock.kind === 'acquired' ? lock.lease : undefined;
    let finished = false;
    try {
      const durable = await this.findDurable(request);
      if (durable.kind !== 'proceed') return outcomeOf(durable);

      const response = await this.executeOnce(request, execute);
      if (response.kind !== 'executed') return response;
      await this.cache(request, { fingerprint: request.fingerprint, response: response.response }, lease);
      finished = true;
      return response;
    } finally {
      if (lease && !finished) await this.release(lease);
    }
  }

  /** The decision the cached record makes, or undefined when nothing is cached or the cache failed. */
  private async findCached(request: IdempotentRequest): Promise<IdempotencyDecision | undefined> {
    try {
      const cached = await this.locks.findFinished(request);
      return cached ? decide(request.fingerprint, { finished: cached }) : undefined;
    } catch (error) {
      this.degraded('read the cached response', error);
      return undefined;
    }
  }

  private async findDurable(request: IdempotentRequest): Promise<IdempotencyDecision> {
    return decide(request.fingerprint, { finished: await this.records.find(request.userId, request.key) });
  }

  private async acquire(
    request: IdempotentRequest,
  ): Promise<{ kind: 'acquired'; lease: LockLease } | { kind: 'taken' } | { kind: 'unavailable' }> {
    try {
      const lease = await this.locks.acquire(request, this.leaseMs);
      return lease ? { kind: 'acquired', lease } : { kind: 'taken' };
    } catch (error) {
      this.degraded('take the in-flight lock; the durable unique index decides alone', error);
      return { kind: 'unavailable' };
    }
  }

  private async executeOnce(
    request: IdempotentRequest,
    execute: (request: IdempotentRequest) => Promise<StoredResponse>,
  ): Promise<IdempotentOutcome> {
    try {
      return { kind: 'executed', response: await execute(request) };
    } catch (error) {
      if (!(error instanceof DuplicateIdempotencyKeyError)) throw error;
      // Another execution stored first (the lock was unavailable or its lease ran out): its answer is final.
      const winner = decide(request.fingerprint, {
        finished: await this.records.find(request.userId, request.key),
        // Rejected by the index yet not readable: the winner's write is not visible here yet.
        lockedByAnother: true,
      });
      return winner.kind === 'proceed' ? { kind: 'in-flight' } : outcomeOf(winner);
    }
  }

  private async cache(
    request: IdempotentRequest,
    record: IdempotencyRecord,
    lease?: LockLease,
  ): Promise<void> {
    try {
      await this.locks.finish(request, record, this.retentionMs, lease);
    } catch (error) {
      // The lease, if any, expires by itself; later requests find the durable record.
      this.degraded('cache the response', error);
    }
  }

  private async release(lease: LockLease): Promise<void> {
    try {
      await this.locks.release(lease);
    } catch (error) {
      this.degraded('release the in-flight lock; it expires with its lease', error);
    }
  }

  private degraded(action: string, error: unknown): void {
    this.logger.warn({ err: error }, `idempotency cache unavailable: could not ${action}`);
  }
}

function outcomeOf(decision: Exclude<IdempotencyDecision, { kind: 'proceed' }>): IdempotentOutcome {
  return decision.kind === 'replay' ? { kind: 'replayed', response: decision.response } : decision;
}
