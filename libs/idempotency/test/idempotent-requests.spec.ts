import {
  type DurableIdempotencyRecords,
  type IdempotencyLocks,
  IdempotentRequests,
  MemoryDurableIdempotencyRecords,
  MemoryIdempotencyLocks,
} from '../src';
import { failingLocks } from './failing-locks';
import { responseOf } from './outcomes';
import { FakeOrderService } from './fake-order-service';

const LEASE_MS = 30_000;
/** Lets every pending in-memory step run: the adapters only await already-settled promises. */
const settled = () => new Promise((resolve) => setImmediate(resolve));
const request = { userId: 'alice', key: 'key-1', fingerprint: 'fp-1' };

describe('IdempotentRequests', () => {
  let now: number;
  let memoryLocks: MemoryIdempotencyLocks;
  let records: MemoryDurableIdempotencyRecords;
  let orders: FakeOrderService;
  let logger: { warn: jest.Mock };

  beforeEach(() => {
    now = 0;
    memoryLocks = new MemoryIdempotencyLocks(() => now);
    records = new MemoryDurableIdempotencyRecords();
    orders = new FakeOrderService(records);
    logger = { warn: jest.fn() };
  });

  const requestsWith = (
    locks: IdempotencyLocks = memoryLocks,
    durable: DurableIdempotencyRecords = records,
  ) => new IdempotentRequests(locks, durable, { leaseMs: LEASE_MS, logger });

  it('when a key is new, then the request executes and its response is cached and stored', async () => {
    const outcome = await requestsWith().handle(request, orders.execute);
    expect(outcome).toEqual({
      kind: 'executed',
      response: {
        status: 202,
        body: { orderId: 'order-1', status: 'PENDING' },
        headers: { Location: '/api/orders/order-1' },
      },
    });
    const stored = { fingerprint: 'fp-1', response: responseOf(outcome) };
    expect(await memoryLocks.findFinished(request)).toEqual(stored);
    expect(await records.find('alice', 'key-1')).toEqual(stored);
  });

  it('when the same request comes again, then the first response is replayed without executing', async () => {
    const requests = requestsWith();
    const first = await requests.handle(request, orders.execute);
    const again = await requests.handle(request, orders.execute);
    expect(again).toEqual({ kind: 'replayed', response: responseOf(first) });
    expect(orders.executions).toBe(1);
  });

  it('when the key comes again with another fingerprint, then it is a mismatch and nothing executes', async () => {
    const requests = requestsWith();
    await requests.handle(request, orders.execute);
    expect(await requests.handle({ ...request, fingerprint: 'fp-2' }, orders.execute)).toEqual({
      kind: 'mismatch',
    });
    expect(orders.executions).toBe(1);
  });

  it('when the first request is in flight, then the second is refused; once it finished, it is replayed', async () => {
    const requests = requestsWith();
    orders.hold();
    const first = requests.handle(request, orders.execute);
    expect(await requests.handle(request, orders.execute)).toEqual({ kind: 'in-flight' });
    orders.release();
    expect((await first).kind).toBe('executed');
    expect((await requests.handle(request, orders.execute)).kind).toBe('replayed');
    expect(orders.executions).toBe(1);
  });

  it('when another user sends the same key, then the requests are independent', async () => {
    const requests = requestsWith();
    await requests.handle(request, orders.execute);
    const bob = await requests.handle({ ...request, userId: 'bob', fingerprint: 'fp-2' }, orders.execute);
    expect(bob).toMatchObject({ kind: 'executed', response: { body: { orderId: 'order-2' } } });
  });

  it('when 50 identical requests arrive in parallel, then one executes and the rest are refused or replayed', async () => {
    const requests = requestsWith();
    const outcomes = await Promise.all(
      Array.from({ length: 50 }, () => requests.handle(request, orders.execute)),
    );
    expect(orders.executions).toBe(1);
    expect(records.size).toBe(1);
    expect(outcomes.filter((o) => o.kind === 'executed')).toHaveLength(1);
    expect(outcomes.every((o) => ['executed', 'replayed', 'in-flight'].includes(o.kind))).toBe(true);
  });

  it('when the cache was flushed between requests, then the durable record is replayed', async () => {
    const requests = requestsWith();
    const first = await requests.handle(request, orders.execute);
    memoryLocks.clear();
    expect(await requests.handle(request, orders.execute)).toEqual({
      kind: 'replayed',
      response: responseOf(first),
    });
    expect(orders.executions).toBe(1);
  });

  it('when a key is new, then the durable store is read once, under the lock', async () => {
    let finds = 0;
    const counted: DurableIdempotencyRecords = {
      find: async (userId, key) => {
        finds += 1;
        return records.find(userId, key);
      },
    };
    expect((await requestsWith(memoryLocks, counted).handle(request, orders.execute)).kind).toBe('executed');
    expect(finds).toBe(1);
  });

  it('when the first request finishes between the cache read and the lock, then the durable check under the lock replays it', async () => {
    const response = { status: 202, body: { orderId: 'order-0' }, headers: {} };
    const finished: DurableIdempotencyRecords = { find: async () => ({ fingerprint: 'fp-1', response }) };
    expect(await requestsWith(memoryLocks, finished).handle(request, orders.execute)).toEqual({
      kind: 'replayed',
      response,
    });
    expect(orders.executions).toBe(0);
    expect(await memoryLocks.acquire(request, LEASE_MS)).toBeDefined();
  });

  it('when the lock is taken but the durable record is finished (its cached answer lost), then it is replayed, not refused as in flight', async () => {
    const requests = requestsWith();
    const first = await requests.handle(request, orders.execute);
    memoryLocks.clear();
    const holder = await memoryLocks.acquire(request, LEASE_MS);
    expect(holder).toBeDefined();
    expect(await requests.handle(request, orders.execute)).toEqual({
      kind: 'replayed',
      response: responseOf(first),
    });
    expect(orders.executions).toBe(1);
  });

  it('when the lease runs out mid-execution, then the unique index still lets one order through', async () => {
    const requests = requestsWith();
    orders.hold();
    const first = requests.handle(request, orders.execute);
    await settled();
    expect(orders.executions).toBe(1);
    now += LEASE_MS;
    const second = requests.handle(request, orders.execute);
    await settled();
    orders.release();
    const outcomes = await Promise.all([first, second]);
    expect(orders.executions).toBe(2);
    expect(records.size).toBe(1);
    expect(outcomes.map((o) => o.kind).sort()).toEqual(['executed', 'replayed']);
  });

  describe('when the cache fails', () => {
    it('when reading the cached response fails, then the durable record answers and it is logged', async () => {
      await requestsWith().handle(request, orders.execute);
      const outcome = await requestsWith(failingLocks(memoryLocks, ['findFinished'])).handle(
        request,
        orders.execute,
      );
      expect(outcome.kind).toBe('replayed');
      expect(logger.warn).toHaveBeenCalledWith(
        { err: expect.any(Error) },
        expect.stringContaining('read the cached response'),
      );
    });

    it('when the lock cannot be taken, then the request proceeds on the durable index alone, logged', async () => {
      const requests = requestsWith(failingLocks(memoryLocks, ['acquire']));
      expect((await requests.handle(request, orders.execute)).kind).toBe('executed');
      expect(logger.warn).toHaveBeenCalledWith(
        { err: expect.any(Error) },
        expect.stringContaining('take the in-flight lock'),
      );
    });

    it('when the cache is down and 50 identical requests arrive in parallel, then one order is stored and the rest replay it', async () => {
      const requests = requestsWith(failingLocks(memoryLocks, ['findFinished', 'acquire', 'finish']));
      const outcomes = await Promise.all(
        Array.from({ length: 50 }, () => requests.handle(request, orders.execute)),
      );
      expect(records.size).toBe(1);
      const executed = outcomes.filter((o) => o.kind === 'executed');
      expect(executed).toHaveLength(1);
      expect(outcomes.filter((o) => o.kind === 'replayed')).toHaveLength(49);
      for (const outcome of outcomes)
        expect(outcome).toEqual({ kind: expect.any(String), response: responseOf(executed[0]) });
    });

    it('when two different bodies race without a lock, then the loser gets a mismatch', async () => {
      const requests = requestsWith(failingLocks(memoryLocks, ['acquire']));
      orders.hold();
      const first = requests.handle(request, orders.execute);
      const second = requests.handle({ ...request, fingerprint: 'fp-2' }, orders.execute);
      await settled();
      expect(orders.executions).toBe(2);
      orders.release();
      expect((await Promise.all([first, second])).map((o) => o.kind)).toEqual(['executed', 'mismatch']);
    });

    it('when caching the response fails, then the response is still returned, logged, and replayed from the durable record', async () => {
      const requests = requestsWith(failingLocks(memoryLocks, ['finish']));
      expect((await requests.handle(request, orders.execute)).kind).toBe('executed');
      expect(logger.warn).toHaveBeenCalledWith(
        { err: expect.any(Error) },
        expect.stringContaining('cache the response'),
      );
      expect((await requests.handle(request, orders.execute)).kind).toBe('replayed');
      expect(orders.executions).toBe(1);
    });
  });

  describe('when the execution fails', () => {
    it('when execute throws, then the error propagates, nothing is stored and a retry executes', async () => {
      const requests = requestsWith();
      orders.failWith = new Error('inventory unavailable');
      await expect(requests.handle(request, orders.execute)).rejects.toThrow('inventory unavailable');
      expect(records.size).toBe(0);
      orders.failWith = undefined;
      expect((await requests.handle(request, orders.execute)).kind).toBe('executed');
    });

    it('when execute throws and releasing the lock fails, then the original error propagates and the release is logged', async () => {
      const requests = requestsWith(failingLocks(memoryLocks, ['release']));
      orders.failWith = new Error('inventory unavailable');
      await expect(requests.handle(request, orders.execute)).rejects.toThrow('inventory unavailable');
      expect(logger.warn).toHaveBeenCalledWith(
        { err: expect.any(Error) },
        expect.stringContaining('release'),
      );
    });

    it('when the unique index rejects the insert but the winner is not readable yet, then it is in flight', async () => {
      const invisible: DurableIdempotencyRecords = { find: async () => undefined };
      const requests = requestsWith(failingLocks(memoryLocks, ['acquire']), invisible);
      await records.insert(request, {
        fingerprint: 'fp-1',
        response: { status: 202, body: null, headers: {} },
      });
      expect(await requests.handle(request, orders.execute)).toEqual({ kind: 'in-flight' });
    });

    it('when the durable store fails, then the request fails rather than execute unguarded, and the lock is released', async () => {
      const failing: DurableIdempotencyRecords = {
        find: async () => {
          throw new Error('mongo down');
        },
      };
      await expect(requestsWith(memoryLocks, failing).handle(request, orders.execute)).rejects.toThrow(
        'mongo down',
      );
      expect(orders.executions).toBe(0);
      expect(await memoryLocks.acquire(request, LEASE_MS)).toBeDefined();
    });
  });
});
