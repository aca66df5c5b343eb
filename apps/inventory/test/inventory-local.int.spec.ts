import { randomUUID } from 'node:crypto';
import Redis from 'ioredis';
import type { Db, MongoClient } from 'mongodb';
import { ProductChanged } from '@platform/contracts';
import { connectMessaging, type MessagingConnection } from '@platform/messaging';
import { createMongoClient } from '@platform/persistence';
import {
  eventually,
  listenOnEphemeralPort,
  requireInfrastructure,
  startTcpProxy,
  type RunningApp,
  type TcpProxy,
} from '@platform/testing';
import { createApp, loadInventoryConfig } from '../src';
import { MongoStockRepository } from '../src/stock/mongo-stock.repository';
import { InventoryClient, type TestIssuer, aNewProduct, startTestIssuer } from './support/inventory-client';
import { recordInventoryEvents, stockCommandsOn } from './support/stock-events';

const mongoUrl = process.env['MONGO_URL'] ?? 'mongodb://127.0.0.1:27017';
const redisUrl = new URL(process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379');
const brokers = process.env['KAFKA_BROKERS'] ?? '127.0.0.1:9092';

/** The service in the local profile against the real MongoDB-wire server, Redis (through a proxy it can lose) and Kafka. */
describe('inventory against real MongoDB-wire, Redis and Kafka', () => {
  const run = randomUUID().slice(0, 8);
  const database = `inventory-int-${run}`;
  const consumerGroup = `inventory-int-${run}`;
  let mongo: MongoClient;
  let db: Db;
  let redis: Redis;
  let redisProxy: TcpProxy;
  let issuer: TestIssuer;
  let inventory: RunningApp;
  let client: InventoryClient;
  let admin: ReturnType<InventoryClient['asAdmin']>;
  let messaging: MessagingConnection;
  let events: Awaited<ReturnType<typeof recordInventoryEvents>>;
  let commands: ReturnType<typeof stockCommandsOn>;

  beforeAll(async () => {
    mongo = createMongoClient(mongoUrl, 'inventory-int-test');
    await requireInfrastructure(`MongoDB at ${mongoUrl}`, () => mongo.connect());
    db = mongo.db(database);
    redis = new Redis(redisUrl.toString(), { lazyConnect: true, maxRetriesPerRequest: 1 });
    await requireInfrastructure(`Redis at ${redisUrl}`, () => redis.connect());
    messaging = await connectMessaging({ service: 'order-test', profile: 'local', brokers });
    events = await recordInventoryEvents(messaging.bus, `inventory-int-recorder-${run}`);
    commands = stockCommandsOn(messaging.bus);
    redisProxy = await startTcpProxy({ host: redisUrl.hostname, port: Number(redisUrl.port || 6379) });
    issuer = await startTestIssuer();
    inventory = await listenOnEphemeralPort(
      await createApp(
        loadInventoryConfig({
          PROFILE: 'local',
          LOG_LEVEL: 'silent',
          MONGO_URL: mongoUrl,
          MONGO_DATABASE: database,
          REDIS_URL: redisProxy.url('redis'),
          KAFKA_BROKERS: brokers,
          KAFKA_CONSUMER_GROUP: consumerGroup,
          // The test's own group handles only what the test publishes, not other runs' history.
          KAFKA_AUTO_OFFSET_RESET: 'latest',
          // Long enough that only an invalidation, never an expiry, can make a change visible here.
          PRODUCT_CACHE_TTL_SECONDS: '300',
          AUTH_URL: issuer.url,
        }),
      ),
    );
    client = new InventoryClient(inventory.baseUrl);
    admin = client.asAdmin(await issuer.adminToken());
  }, 60_000);

  afterAll(async () => {
    await inventory?.close();
    await events?.stop();
    await messaging?.close();
    await redisProxy?.close();
    await issuer?.close();
    await db?.dropDatabase();
    await mongo?.close();
    redis?.disconnect();
  }, 60_000);

  async function aProductWith(initialStock: number): Promise<string> {
    const product = aNewProduct({ initialStock });
    const reply = await admin.createProduct(product);
    if (reply.status !== 201) throw new Error(`create answered ${reply.status}`);
    return product.sku;
  }

  /**
   * A new product whose view is in the cache. The creation's own ProductChanged drops the view
   * whenever it arrives (at once: the relay publishes on commit), so the product is read until
   * its view is cached.
   */
  async function aCachedProductWith(initialStock: number): Promise<string> {
    const sku = await aProductWith(initialStock);
    await eventually(
      async () => {
        await client.product(sku);
        return cachedView(sku);
      },
      30_000,
      50,
    );
    return sku;
  }

  const typesOf = (orderId: string) => events.of(orderId).map((event) => event.type);
  const until = <T>(condition: () => T | undefined | false, timeoutMs = 30_000) =>
    eventually(async () => condition() || undefined, timeoutMs, 50);
  const cachedView = async (sku: string) => {
    const value = await redis.get(`${database}:product:${sku}`);
    return value === null ? undefined : JSON.parse(value);
  };

  /** The sku's stock document, after checking that it conserves stock and its holds add up to what is reserved. */
  async function conservedStock(sku: string, initial: number) {
    const stock = await new MongoStockRepository(db).find(sku);
    if (!stock) throw new Error(`the stock of ${sku} never changed`);
    const { level, holds } = stock;
    expect(level.available).toBeGreaterThanOrEqual(0);
    expect(level.reserved).toBeGreaterThanOrEqual(0);
    expect(level.available + level.reserved + level.sold).toBe(level.initial + level.restocked);
    expect(holds.reduce((total, hold) => total + hold.quantity, 0)).toBe(level.reserved);
    expect(level.initial).toBe(initial);
    return stock;
  }

  /**
   * The sku's stock once `sold` units are sold, conserved. StockCommitted leaves with the
   * reservation's settlement, before the commit moves the stock's holds (CommitStock), so a test
   * that has seen the reply waits for the sale.
   */
  async function stockOnceSold(sku: string, initial: number, sold: number) {
    const sale = async () =>
      (await new MongoStockRepository(db).find(sku))?.level.sold === sold ? true : undefined;
    await eventually(sale, 30_000, 50);
    return conservedStock(sku, initial);
  }

  describe('stock commands over Kafka', () => {
    it('when 50 orders ask for the last 10 units at once, then exactly 10 are reserved, 40 rejected, none oversold', async () => {
      const sku = await aProductWith(10);
      const orderIds = Array.from({ length: 50 }, () => `order-${randomUUID()}`);
      await Promise.all(orderIds.map((orderId) => commands.reserve(orderId, [{ sku, quantity: 1 }])));
      await until(() => orderIds.every((orderId) => events.of(orderId).length > 0), 60_000);
      const outcomes = orderIds.map((orderId) => typesOf(orderId));
      expect(outcomes.filter((types) => types.join() === 'StockReserved')).toHaveLength(10);
      expect(outcomes.filter((types) => types.join() === 'StockRejected')).toHaveLength(40);
      expect((await client.product(sku)).body.available).toBe(0);
      const stock = await conservedStock(sku, 10);
      expect(stock.level).toMatchObject({ available: 0, reserved: 10, sold: 0 });
      expect(stock.holds).toHaveLength(10);
    }, 90_000);

    it('when the same command is delivered twice, then it has one outcome and stock moves once', async () => {
      const sku = await aProductWith(5);
      const orderId = `order-${randomUUID()}`;
      const commandId = randomUUID();
      await commands.reserve(orderId, [{ sku, quantity: 2 }], commandId);
      await commands.reserve(orderId, [{ sku, quantity: 2 }], commandId);
      // A later command of the same order travels behind both deliveries on the order's partition.
      await commands.commit(orderId);
      await until(() => typesOf(orderId).includes('StockCommitted'));
      expect(typesOf(orderId)).toEqual(['StockReserved', 'StockCommitted']);
      // Two changes, the reservation and the commit: the second delivery moved nothing.
      expect(await stockOnceSold(sku, 5, 2)).toMatchObject({
        version: 2,
        level: { available: 3, reserved: 0, sold: 2 },
      });
      expect((await client.product(sku)).body.available).toBe(3);
    }, 60_000);

    it('when ReleaseStock comes before ReserveStock, then the late ReserveStock reserves nothing', async () => {
      const sku = await aProductWith(5);
      const orderId = `order-${randomUUID()}`;
      await commands.release(orderId);
      await commands.reserve(orderId, [{ sku, quantity: 2 }]);
      await until(() => events.of(orderId).length >= 2);
      expect(typesOf(orderId)).toEqual(['StockReleased', 'StockReleased']);
      expect(await new MongoStockRepository(db).find(sku)).toBeUndefined();
      expect((await client.product(sku)).body.available).toBe(5);
    }, 60_000);

    it('when CommitStock comes before ReserveStock, then it is retried and commits after the reservation', async () => {
      const sku = await aProductWith(5);
      const orderId = `order-${randomUUID()}`;
      await commands.commit(orderId);
      await commands.reserve(orderId, [{ sku, quantity: 1 }]);
      await until(() => typesOf(orderId).includes('StockCommitted'), 60_000);
      expect(typesOf(orderId)).toEqual(['StockReserved', 'StockCommitted']);
      expect((await stockOnceSold(sku, 5, 1)).level).toMatchObject({ available: 4, reserved: 0, sold: 1 });
    }, 90_000);
  });

  describe('product cache', () => {
    it('when a cached product is restocked, then the next read shows the new stock at once', async () => {
      const sku = await aCachedProductWith(1);
      await admin.restock(sku, { quantity: 4 });
      expect((await client.product(sku)).body.available).toBe(5);
    });

    it('when another instance announces ProductChanged, then this instance drops its cached view', async () => {
      const sku = await aCachedProductWith(3);
      await messaging.bus.publish({
        topic: ProductChanged.topic,
        type: ProductChanged.type,
        key: sku,
        data: { sku, name: 'Oolong tea, 50 g', priceCents: 890, currency: 'EUR', available: 3 },
        source: 'inventory',
      });
      await eventually(async () => ((await cachedView(sku)) === undefined ? true : undefined), 30_000, 50);
    }, 60_000);

    it('when Redis is down, then reads still answer 200 with correct data, readiness names redis, and caching resumes after', async () => {
      const sku = await aProductWith(2);
      await client.product(sku);
      redisProxy.cut();
      try {
        await admin.restock(sku, { quantity: 3 });
        const [one, page] = [await client.product(sku), await client.get('/api/products?limit=100')];
        expect(one.status).toBe(200);
        expect(one.body.available).toBe(5);
        expect(page.status).toBe(200);
        const ready = await client.get('/readyz');
        expect(ready.status).toBe(503);
        expect(JSON.stringify(ready.body)).toContain('redis');
      } finally {
        redisProxy.restore();
      }
      // The restock could not drop the cached view while Redis was away; it is dropped once Redis is back.
      await eventually(
        async () => ((await client.get('/readyz')).status === 200 ? true : undefined),
        30_000,
        200,
      );
      const product = await eventually(
        async () => {
          const reply = await client.product(sku);
          return reply.body.available === 5 && (await cachedView(sku))?.available === 5 ? reply : undefined;
        },
        30_000,
        200,
      );
      expect(product.status).toBe(200);
    }, 90_000);
  });
});
