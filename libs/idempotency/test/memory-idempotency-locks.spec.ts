import { MemoryIdempotencyLocks } from '../src';
import { CONTRACT_LEASE_MS, describeIdempotencyLocksContract } from './idempotency-locks.contract';

describeIdempotencyLocksContract('in memory', async () => {
  let now = 0;
  const locks = new MemoryIdempotencyLocks(() => now);
  return {
    locks,
    expireLeases: async () => {
      now += CONTRACT_LEASE_MS;
    },
    close: async () => undefined,
  };
});

describe('MemoryIdempotencyLocks retention', () => {
  const scope = { userId: 'alice', key: 'k' };
  const record = { fingerprint: 'fp', response: { status: 202, body: {}, headers: {} } };

  it('when the retention has passed, then the record is gone; until then it is kept', async () => {
    let now = 0;
    const locks = new MemoryIdempotencyLocks(() => now);
    await locks.finish(scope, record, 1000);
    now = 999;
    expect(await locks.findFinished(scope)).toEqual(record);
    now = 1000;
    expect(await locks.findFinished(scope)).toBeUndefined();
  });

  it('when cleared (a flush), then records and locks are gone', async () => {
    const locks = new MemoryIdempotencyLocks();
    await locks.finish(scope, record, 1000);
    await locks.acquire(scope, 1000);
    locks.clear();
    expect(await locks.findFinished(scope)).toBeUndefined();
    expect(await locks.acquire(scope, 1000)).toBeDefined();
  });
});
