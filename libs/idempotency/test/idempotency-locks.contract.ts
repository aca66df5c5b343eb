import type { IdempotencyLocks, IdempotencyRecord, IdempotencyScope, LockLease } from '../src';

export const CONTRACT_LEASE_MS = 10_000;
export const CONTRACT_RETENTION_MS = 60_000;

export interface LocksHarness {
  locks: IdempotencyLocks;
  /** Makes every lease run out (records stay), as time passing beyond the lease would. */
  expireLeases(): Promise<void>;
  close(): Promise<void>;
}

const record = (fingerprint: string): IdempotencyRecord => ({
  fingerprint,
  response: {
    status: 202,
    body: { orderId: `order-${fingerprint}` },
    headers: { Location: '/api/orders/1' },
  },
});

async function acquired(locks: IdempotencyLocks, scope: IdempotencyScope): Promise<LockLease> {
  const lease = await locks.acquire(scope, CONTRACT_LEASE_MS);
  if (!lease) throw new Error('expected to take the lock');
  return lease;
}

/** Every IdempotencyLocks adapter must pass these; the Redis one against a real server. */
export function describeIdempotencyLocksContract(name: string, start: () => Promise<LocksHarness>): void {
  describe(`IdempotencyLocks contract: ${name}`, () => {
    let harness: LocksHarness;
    let locks: IdempotencyLocks;
    let counter = 0;
    // A fresh scope per test keeps tests apart even on a shared server.
    let scope: IdempotencyScope;

    beforeEach(async () => {
      harness = await start();
      locks = harness.locks;
      counter += 1;
      scope = { userId: `user:${counter}`, key: `key-${counter}` };
    });
    afterEach(() => harness.close());

    it('when the key is free, then the lock is taken; a second taker is refused', async () => {
      expect(await locks.acquire(scope, CONTRACT_LEASE_MS)).toEqual({ scope, token: expect.any(String) });
      expect(await locks.acquire(scope, CONTRACT_LEASE_MS)).toBeUndefined();
    });

    it('when another user takes the same key, then both hold their own lock', async () => {
      expect(await locks.acquire(scope, CONTRACT_LEASE_MS)).toBeDefined();
      expect(
        await locks.acquire({ ...scope, userId: `${scope.userId}-other` }, CONTRACT_LEASE_MS),
      ).toBeDefined();
    });

    it('when the owner releases, then the key can be taken again', async () => {
      expect(await locks.release(await acquired(locks, scope))).toBe(true);
      expect(await locks.acquire(scope, CONTRACT_LEASE_MS)).toBeDefined();
    });

    it('when a lease expired and the key was re-taken, then the old owner cannot release the new lock', async () => {
      const stale = await acquired(locks, scope);
      await harness.expireLeases();
      const fresh = await locks.acquire(scope, CONTRACT_LEASE_MS);
      expect(fresh).toBeDefined();
      expect(await locks.release(stale)).toBe(false);
      expect(await locks.acquire(scope, CONTRACT_LEASE_MS)).toBeUndefined();
    });

    it('when nothing finished under the key, then no record is cached', async () => {
      expect(await locks.findFinished(scope)).toBeUndefined();
    });

    it('when the owner finishes, then the record is cached and the lock released', async () => {
      const lease = await locks.acquire(scope, CONTRACT_LEASE_MS);
      await locks.finish(scope, record('fp-1'), CONTRACT_RETENTION_MS, lease);
      expect(await locks.findFinished(scope)).toEqual(record('fp-1'));
      expect(await locks.acquire(scope, CONTRACT_LEASE_MS)).toBeDefined();
    });

    it('when a record is cached, then another user does not see it', async () => {
      await locks.finish(scope, record('fp-1'), CONTRACT_RETENTION_MS);
      expect(await locks.findFinished({ ...scope, userId: `${scope.userId}-other` })).toBeUndefined();
    });

    it('when a stale owner finishes, then the record is cached but the new holder keeps the lock', async () => {
      const stale = await acquired(locks, scope);
      await harness.expireLeases();
      expect(await locks.acquire(scope, CONTRACT_LEASE_MS)).toBeDefined();
      await locks.finish(scope, record('fp-1'), CONTRACT_RETENTION_MS, stale);
      expect(await locks.findFinished(scope)).toEqual(record('fp-1'));
      expect(await locks.acquire(scope, CONTRACT_LEASE_MS)).toBeUndefined();
    });

    it('when finishing without a lease (the lock was unavailable), then another holder keeps the lock', async () => {
      expect(await locks.acquire(scope, CONTRACT_LEASE_MS)).toBeDefined();
      await locks.finish(scope, record('fp-1'), CONTRACT_RETENTION_MS);
      expect(await locks.findFinished(scope)).toEqual(record('fp-1'));
      expect(await locks.acquire(scope, CONTRACT_LEASE_MS)).toBeUndefined();
    });

    it('when keys contain separators, then scopes that would concatenate alike stay apart', async () => {
      await locks.finish({ userId: `${scope.userId}:a`, key: 'b' }, record('fp-1'), CONTRACT_RETENTION_MS);
      expect(await locks.findFinished({ userId: scope.userId, key: 'a:b' })).toBeUndefined();
    });
  });
}
