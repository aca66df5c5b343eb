import { once } from 'node:events';
import { type IdempotencyLocks, MemoryIdempotencyLocks, RedisIdempotencyLocks } from '@platform/idempotency';
import type { ReadinessCheck } from '@platform/observability';
import {
  type Closable,
  createMongoClient,
  createRedisClient,
  mongoReadiness,
  redisReadiness,
} from '@platform/persistence';
import type { OrderConfig } from './config';
import { InMemoryOrdersRepository } from './orders/in-memory-orders.repository';
import { MongoOrdersRepository } from './orders/mongo-orders.repository';
import type { OrdersRepository } from './orders/orders.repository.port';
import {
  InMemoryOrderStatusChanges,
  type OrderStatusChanges,
} from './order-events/order-status-changes.port';
import { RedisOrderStatusChanges } from './order-events/redis-order-status-changes';

export interface OrderAdapters {
  /** The orders with their sagas, outbox and Idempotency-Key records, in one collection. */
  orders: OrdersRepository;
  /** The fast path and in-flight lock of Idempotency-Key; never the guarantee. */
  idempotencyLocks: IdempotencyLocks;
  /** Saved saga changes, announced to every instance's open status streams. */
  statusChanges: OrderStatusChanges;
  readinessChecks: ReadinessCheck[];
  closables: Closable[];
}

/** The embedded profile: in-memory adapters, no connection to anything. */
export function inMemoryAdapters(): OrderAdapters {
  return {
    orders: new InMemoryOrdersRepository(),
    idempotencyLocks: new MemoryIdempotencyLocks(),
    statusChanges: new InMemoryOrderStatusChanges(),
    readinessChecks: [],
    closables: [],
  };
}

/**
 * local, compose, production: MongoDB for the orders, Redis for the Idempotency-Key locks and cached
 * responses. MongoDB must answer at start (indexes are created before serving); Redis is given a
 * few seconds, then the service starts anyway: the durable record decides alone meanwhile.
 */
export async function connectedAdapters(config: OrderConfig): Promise<OrderAdapters> {
  if (!config.MONGO_URL || !config.REDIS_URL)
    throw new Error('MONGO_URL and REDIS_URL are required outside the embedded profile');
  const mongo = createMongoClient(config.MONGO_URL, 'order');
  const redis = createRedisClient(config.REDIS_URL, 'order');
  // A subscription waits for Redis however long it is down (the client above fails fast instead).
  const subscriber = redis.duplicate({
    enableOfflineQueue: true,
    maxRetriesPerRequest: null,
    commandTimeout: undefined,
  });
  // Failures show in /readyz and in the idempotency warnings; without a listener ioredis prints every reconnect.
  redis.on('error', () => undefined);
  subscriber.on('error', () => undefined);
  const closables: Closable[] = [
    { name: 'redis-subscriber', close: async () => subscriber.disconnect() },
    { name: 'mongodb', close: () => mongo.close() },
    {
      name: 'redis',
      // QUIT would wait for a reconnection while Redis is down.
      close: async () =>
        redis.status === 'ready' ? redis.quit().catch(() => redis.disconnect()) : redis.disconnect(),
    },
  ];
  try {
    await mongo.connect();
    const orders = new MongoOrdersRepository(mongo.db(config.MONGO_DATABASE));
    await orders.ensureIndexes();
    await Promise.race([once(redis, 'ready'), new Promise((resolve) => setTimeout(resolve, 3000).unref())]);
    return {
      orders,
      idempotencyLocks: new RedisIdempotencyLocks(redis, 'order:idempotency:'),
      statusChanges: new RedisOrderStatusChanges(redis, subscriber),
      readinessChecks: [mongoReadiness(mongo), redisReadiness(redis)],
      closables,
    };
  } catch (error) {
    await Promise.allSettled(closables.map((closable) => closable.close()));
    throw error;
  }
}
