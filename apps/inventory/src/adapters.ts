import { once } from 'node:events';
import { Logger } from '@nestjs/common';
import { type Inbox, InMemoryInbox, MongoInbox } from '@platform/messaging';
import type { ReadinessCheck } from '@platform/observability';
import {
  type Closable,
  createMongoClient,
  createRedisClient,
  mongoReadiness,
  redisReadiness,
} from '@platform/persistence';
import type { InventoryConfig } from './config';
import { InMemoryProductCache } from './products/in-memory-product-cache';
import { InMemoryProductsRepository } from './products/in-memory-products.repository';
import { MongoProductsRepository } from './products/mongo-products.repository';
import type { ProductCache } from './products/product-cache.port';
import type { ProductsRepository } from './products/products.repository.port';
import { RedisProductCache } from './products/redis-product-cache';
import { InMemoryReservationsRepository } from './reservations/in-memory-reservations.repository';
import { MongoReservationsRepository } from './reservations/mongo-reservations.repository';
import type { ReservationsRepository } from './reservations/reservations.repository.port';
import { InMemoryStockRepository } from './stock/in-memory-stock.repository';
import { MongoStockRepository } from './stock/mongo-stock.repository';
import type { StockRepository } from './stock/stock.repository.port';

export interface InventoryAdapters {
  products: ProductsRepository;
  stock: StockRepository;
  reservations: ReservationsRepository;
  inbox: Inbox;
  cache: ProductCache;
  readinessChecks: ReadinessCheck[];
  closables: Closable[];
}

/** The embedded profile: in-memory adapters, no connection to anything. */
export function inMemoryAdapters(config: InventoryConfig): InventoryAdapters {
  return {
    products: new InMemoryProductsRepository(),
    stock: new InMemoryStockRepository(),
    reservations: new InMemoryReservationsRepository(),
    inbox: new InMemoryInbox(),
    cache: new InMemoryProductCache(config.PRODUCT_CACHE_TTL_SECONDS * 1000),
    readinessChecks: [],
    closables: [],
  };
}

/**
 * local, compose, production: MongoDB for products, stock and reservations, Redis for
 * the product cache. MongoDB must answer at start (indexes are created before serving); Redis is
 * given a few seconds, then the service starts anyway: reads go to MongoDB and readiness names it.
 */
export async function connectedAdapters(config: InventoryConfig): Promise<InventoryAdapters> {
  if (!config.MONGO_URL || !config.REDIS_URL)
    throw new Error('MONGO_URL and REDIS_URL are required outside the embedded profile');
  const mongo = createMongoClient(config.MONGO_URL, 'inventory');
  const redis = createRedisClient(config.REDIS_URL, 'inventory');
  // Failures show in /readyz and in the cache's throttled warning; without a listener ioredis prints every reconnect.
  redis.on('error', () => undefined);
  const closables: Closable[] = [
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
    const db = mongo.db(config.MONGO_DATABASE);
    const adapters = {
      products: new MongoProductsRepository(db),
      stock: new MongoStockRepository(db),
      reservations: new MongoReservationsRepository(db),
      inbox: new MongoInbox(db),
    };
    for (const store of Object.values(adapters)) await store.ensureIndexes();
    await Promise.race([once(redis, 'ready'), new Promise((resolve) => setTimeout(resolve, 3000).unref())]);
    return {
      ...adapters,
      cache: new RedisProductCache(
        redis,
        config.MONGO_DATABASE,
        config.PRODUCT_CACHE_TTL_SECONDS,
        new Logger('ProductCache'),
      ),
      readinessChecks: [mongoReadiness(mongo), redisReadiness(redis)],
      closables,
    };
  } catch (error) {
    await Promise.allSettled(closables.map((closable) => closable.close()));
    throw error;
  }
}
