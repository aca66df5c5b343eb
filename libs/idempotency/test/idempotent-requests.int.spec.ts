import type Redis from 'ioredis';
import { createRedisClient } from '@platform/persistence';
import { requireInfrastructure, startTcpProxy, type TcpProxy } from '@platform/testing';
import { once } from 'node:events';
import {
  type IdempotentOutcome,
  type IdempotentRequest,
  IdempotentRequests,
  MongoDurableIdempotencyRecords,
  RedisIdempotencyLocks,
  type StoredResponse,
} from '../src';
import { connectMongo } from './mongo-harness';
import { responseOf } from './outcomes';
import { connectRedis, deleteKeys, redisUrl } from './redis-harness';

const silent = { warn: () => undefined };
const request = { userId: 'alice', key: 'key-1', fingerprint: 'fp-1' };

/** The order service's insert: the order and its key's record in one document. */
function placeOrder(records: MongoDurableIdempotencyRecords, executions: { count: number }) {
  return async (idempotent: IdempotentRequest): Promise<StoredResponse> => {
    executions.count += 1;
    const orderId = `order-${executions.count}`;
    const response = {
      status: 202,
      body: { orderId, status: 'PENDING' },
      headers: { Location: `/api/orders/${orderId}` },
    };
    await records.insertWith(
      idempotent,
      { fingerprint: idempotent.fingerprint, response },
      { _id: orderId as never },
    );
    return response;
  };
}

const kinds = (outcomes: IdempotentOutcome[]) => outcomes.map((o) => o.kind);

describe('IdempotentRequests with real Redis and MongoDB', () => {
  let redis: Redis;
  let prefix: string;
  let mongo: Awaited<ReturnType<typeof connectMongo>>;
  let records: MongoDurableIdempotencyRecords;
  let executions: { count: number };

  beforeEach(async () => {
    ({ redis, prefix } = await connectRedis('idempotency-int'));
    mongo = await connectMongo('idempotency-int');
    records = new MongoDurableIdempotencyRecords(mongo.orders);
    await records.ensureIndex();
    executions = { count: 0 };
  });
  afterEach(async () => {
    await deleteKeys(redis, prefix);
    redis.disconnect();
    await mongo.drop();
  });

  it('when 50 identical requests arrive in parallel, then one order is created and the rest are 409s or replays', async () => {
    const requests = new IdempotentRequests(new RedisIdempotencyLocks(redis, prefix), records, {
      logger: silent,
    });
    const outcomes = await Promise.all(
      Array.from({ length: 50 }, () => requests.handle(request, placeOrder(records, executions))),
    );
    expect(executions.count).toBe(1);
    expect(await mongo.orders.countDocuments()).toBe(1);
    expect(kinds(outcomes).filter((kind) => kind === 'executed')).toHaveLength(1);
    expect(
      kinds(outcomes)
        .filter((kind) => kind !== 'executed')
        .every((k) => k === 'in-flight' || k === 'replayed'),
    ).toBe(true);
  });

  it('when two instances, each with its own connections, share the load of 50 identical requests, then one order is created', async () => {
    const other = await connectRedis('idempotency-int-2');
    const first = new IdempotentRequests(new RedisIdempotencyLocks(redis, prefix), records, {
      logger: silent,
    });
    const second = new IdempotentRequests(new RedisIdempotencyLocks(other.redis, prefix), records, {
      logger: silent,
    });
    try {
      const outcomes = await Promise.all(
        Array.from({ length: 50 }, (_, i) =>
          (i % 2 === 0 ? first : second).handle(request, placeOrder(records, executions)),
        ),
      );
      expect(await mongo.orders.countDocuments()).toBe(1);
      expect(kinds(outcomes).filter((kind) => kind === 'executed')).toHaveLength(1);
    } finally {
      other.redis.disconnect();
    }
  });

  it('when Redis was flushed between requests, then the response is replayed from the durable record', async () => {
    const requests = new IdempotentRequests(new RedisIdempotencyLocks(redis, prefix), records, {
      logger: silent,
    });
    const first = await requests.handle(request, placeOrder(records, executions));
    expect(await deleteKeys(redis, prefix)).toBeGreaterThan(0);
    const again = await requests.handle(request, placeOrder(records, executions));
    expect(again).toEqual({ kind: 'replayed', response: responseOf(first) });
    expect(
      await requests.handle({ ...request, fingerprint: 'fp-2' }, placeOrder(records, executions)),
    ).toEqual({
      kind: 'mismatch',
    });
    expect(executions.count).toBe(1);
  });

  describe('when Redis is unreachable', () => {
    let proxy: TcpProxy;
    let viaProxy: Redis;

    beforeEach(async () => {
      const { hostname, port } = new URL(redisUrl);
      proxy = await startTcpProxy({ host: hostname, port: Number(port || 6379) });
      viaProxy = createRedisClient(proxy.url('redis'), 'idempotency-int-proxy');
      await requireInfrastructure('Redis through the proxy', () => once(viaProxy, 'ready'));
      proxy.cut();
    });
    afterEach(async () => {
      viaProxy.disconnect();
      await proxy.close();
    });

    it('when 50 identical requests arrive in parallel, then the unique index lets one order through, the rest replay it, and it is logged', async () => {
      const logger = { warn: jest.fn() };
      const requests = new IdempotentRequests(new RedisIdempotencyLocks(viaProxy, prefix), records, {
        logger,
      });
      const outcomes = await Promise.all(
        Array.from({ length: 50 }, () => requests.handle(request, placeOrder(records, executions))),
      );
      expect(await mongo.orders.countDocuments()).toBe(1);
      expect(kinds(outcomes).filter((kind) => kind === 'executed')).toHaveLength(1);
      expect(kinds(outcomes).filter((kind) => kind === 'replayed')).toHaveLength(49);
      expect(logger.warn).toHaveBeenCalledWith(
        { err: expect.any(Error) },
        expect.stringContaining('in-flight lock'),
      );
    });
  });
});
