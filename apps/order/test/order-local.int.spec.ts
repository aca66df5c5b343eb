import { randomUUID } from 'node:crypto';
import Redis from 'ioredis';
import { type Admin, Kafka, logLevel } from 'kafkajs';
import type { MongoClient } from 'mongodb';
import { type FakeAuthServer, startFakeAuthServer } from '@platform/auth/testing';
import { topics } from '@platform/contracts';
import { connectMessaging, type MessagingConnection } from '@platform/messaging';
import { createMongoClient } from '@platform/persistence';
import {
  eventually,
  listenOnEphemeralPort,
  requireInfrastructure,
  startServiceProcess,
  type RunningApp,
  type ServiceProcess,
} from '@platform/testing';
import { Agent } from 'undici';
import { createApp, loadOrderConfig } from '../src';
import { MongoOrdersRepository } from '../src/orders/mongo-orders.repository';
import { aNewOrder, aPlacedOrder } from './support/builders';
import { FakeInventory } from './support/fake-inventory';
import { OrderClient, anOrderBody, type Reply } from './support/order-client';
import { SagaMessages } from './support/saga-messages';

const mongoUrl = process.env['MONGO_URL'] ?? 'mongodb://127.0.0.1:27017';
const redisUrl = new URL(process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379');
const brokers = process.env['KAFKA_BROKERS'] ?? '127.0.0.1:9092';
/** A Redis database of this suite's own, so its FLUSHDB reaches no other test's keys. */
const redisDatabase = 11;
const suiteRedisUrl = (() => {
  const url = new URL(redisUrl);
  url.pathname = `/${redisDatabase}`;
  return url.toString();
})();

/** The service in the local profile against the real MongoDB-wire server, Redis and Kafka; inventory and auth are faked. */
describe('order against real MongoDB-wire, Redis and Kafka', () => {
  let mongo: MongoClient;
  let redis: Redis;
  let kafkaAdmin: Admin;
  let auth: FakeAuthServer;
  let inventory: FakeInventory;
  let messaging: MessagingConnection;
  let messages: SagaMessages;
  const streams = new Agent();

  beforeAll(async () => {
    mongo = createMongoClient(mongoUrl, 'order-int-test');
    await requireInfrastructure(`MongoDB at ${mongoUrl}`, () => mongo.connect());
    redis = new Redis(suiteRedisUrl, { lazyConnect: true, maxRetriesPerRequest: 1 });
    await requireInfrastructure(`Redis at ${redisUrl}`, () => redis.connect());
    kafkaAdmin = new Kafka({
      clientId: 'order-int-test',
      brokers: brokers.split(','),
      logLevel: logLevel.NOTHING,
    }).admin();
    await requireInfrastructure(`Kafka at ${brokers}`, () => kafkaAdmin.connect());
    auth = await startFakeAuthServer('order-int-key');
    inventory = (await new FakeInventory().start()).product('TEA-GREEN', 650);
    messaging = await connectMessaging({ service: 'order-test', profile: 'local', brokers });
    messages = await new SagaMessages(messaging.bus).start();
  }, 60_000);

  afterAll(async () => {
    await messages?.stop();
    await messaging?.close();
    await streams.destroy();
    await inventory?.stop();
    await auth?.close();
    await kafkaAdmin?.disconnect();
    redis?.disconnect();
    await mongo?.close();
  }, 60_000);

  /** A run of its own: database and consumer group nobody else uses. */
  function aRun(name: string) {
    const run = `${name}-${randomUUID().slice(0, 8)}`;
    const env: NodeJS.ProcessEnv = {
      PROFILE: 'local',
      LOG_LEVEL: 'silent',
      MONGO_URL: mongoUrl,
      MONGO_DATABASE: run,
      REDIS_URL: suiteRedisUrl,
      KAFKA_BROKERS: brokers,
      KAFKA_CONSUMER_GROUP: run,
      // The group handles only what is published from now on, not other runs' history.
      KAFKA_AUTO_OFFSET_RESET: 'latest',
      AUTH_URL: auth.url,
      INVENTORY_URL: inventory.url,
      OUTBOX_RELAY_INTERVAL_MS: '50',
      ORDER_SAGA_TICK_MS: '100',
    };
    return { run, env, db: mongo.db(run) };
  }

  async function startInstance(env: NodeJS.ProcessEnv): Promise<RunningApp> {
    return listenOnEphemeralPort(await createApp(loadOrderConfig(env)));
  }

  const statusOf = async (client: OrderClient, orderId: string) => (await client.order(orderId)).body?.status;

  it('when 50 identical orders are posted at once across two instances, then one order is placed, every answer is it or 409, and it still replays after a Redis FLUSHDB', async () => {
    const { env, db } = aRun('order-int-idempotency');
    const instances = [await startInstance(env), await startInstance(env)];
    try {
      const token = await auth.tokenFor(`alice-${randomUUID()}`);
      const [left, right] = instances.map(
        (instance) => new OrderClient(instance.baseUrl, streams, token),
      ) as [OrderClient, OrderClient];
      const key = randomUUID();
      const body = anOrderBody();

      const replies = await Promise.all(
        Array.from({ length: 50 }, (_, index) => (index % 2 === 0 ? left : right).place(body, key)),
      );
      const placed = replies.filter((reply) => reply.status === 202);
      const inFlight = replies.filter((reply) => reply.status === 409);
      expect(placed.length + inFlight.length).toBe(50);
      expect(placed.length).toBeGreaterThanOrEqual(1);
      const orderIds = new Set(placed.map((reply) => reply.body.orderId));
      expect(orderIds.size).toBe(1);
      const [orderId] = [...orderIds] as [string];
      expect(placed.filter((reply) => reply.headers.get('idempotent-replayed') === null)).toHaveLength(1);
      expect(await db.collection('orders').countDocuments({})).toBe(1);

      await redis.flushdb();
      for (const client of [left, right]) {
        const replayed: Reply = await client.place(body, key);
        expect(replayed.status).toBe(202);
        expect(replayed.headers.get('idempotent-replayed')).toBe('true');
        expect(replayed.body.orderId).toBe(orderId);
        expect(replayed.headers.get('location')).toBe(`/api/orders/${orderId}`);
      }
      expect((await left.place(anOrderBody({ paymentMethod: 'tok_slow' }), key)).status).toBe(422);
      expect(await db.collection('orders').countDocuments({})).toBe(1);
      // The saga started once: one ReserveStock for the order.
      await messages.waitFor(orderId, 'ReserveStock', 1, 30_000);
    } finally {
      await Promise.all(instances.map((instance) => instance.close()));
      await db.dropDatabase();
    }
  }, 120_000);

  it('when the service is SIGKILLed while its saga awaits a reply, then a restarted service handles the reply that came meanwhile, and starts the saga of an order left without one', async () => {
    const { run, env, db } = aRun('order-int-resume');
    const processEnv = {
      ...env,
      LOG_LEVEL: 'warn',
      OTEL_EXPORTER_OTLP_ENDPOINT: '',
      // Longer than the killed member's session, which the broker waits out: the reply, not the deadline, decides.
      ORDER_STOCK_TIMEOUT_MS: '600000',
    };
    let first: ServiceProcess | undefined = await startServiceProcess('order', processEnv);
    let restarted: ServiceProcess | undefined;
    try {
      const token = await auth.tokenFor(`alice-${randomUUID()}`);
      const placed = await new OrderClient(first.baseUrl, streams, token).place(anOrderBody());
      expect(placed.status).toBe(202);
      const orderId: string = placed.body.orderId;
      const reserve = await messages.waitFor(orderId, 'ReserveStock', 1, 30_000);
      // The command continues the trace of the request that placed the order.
      expect(reserve.traceparent?.split('-')[1]).toBe(placed.headers.get('x-trace-id'));

      await first.stop('SIGKILL');
      first = undefined;
      const orders = new MongoOrdersRepository(db);
      expect((await orders.find(orderId))?.saga?.status).toBe('RUNNING');

      // A group that has been running holds a committed position on every partition; this one
      // started at 'latest' moments ago, so give it one, as soon as the broker let the killed member go.
      await eventually(
        () => commitEndOffsets(kafkaAdmin, run, [topics.inventoryEvents, topics.paymentsEvents]),
        90_000,
        1000,
      );
      await messages.stockRejected(orderId);
      // An order whose process died between its insert and its saga's start.
      const orphan = aPlacedOrder({ userId: 'bob', createdAt: new Date(Date.now() - 60_000) });
      await orders.insert(aNewOrder(orphan));

      restarted = await startServiceProcess('order', processEnv);
      const client = new OrderClient(restarted.baseUrl, streams, token);
      await eventually(
        async () => ((await statusOf(client, orderId)) === 'CANCELLED' ? true : undefined),
        60_000,
        200,
      );
      expect((await client.order(orderId)).body).toMatchObject({
        status: 'CANCELLED',
        failureReason: 'OUT_OF_STOCK',
      });
      expect((await messages.waitFor(orderId, 'OrderCancelled', 1, 30_000)).data.reason).toBe('OUT_OF_STOCK');

      await messages.waitFor(orphan.orderId, 'ReserveStock', 1, 30_000);
      expect((await orders.find(orphan.orderId))?.saga?.status).toBeDefined();
    } finally {
      await first?.stop('SIGKILL');
      await restarted?.stop();
      await db.dropDatabase();
    }
  }, 180_000);
});

/**
 * Commits the end of each partition where the group has committed nothing yet. The broker accepts
 * it only once the group has no member, so it also waits out the killed member's session.
 */
async function commitEndOffsets(admin: Admin, groupId: string, topicNames: string[]): Promise<true> {
  for (const topic of topicNames) {
    const [committed] = await admin.fetchOffsets({ groupId, topics: [topic] });
    const uncommitted = new Set(
      (committed?.partitions ?? []).filter(({ offset }) => offset === '-1').map(({ partition }) => partition),
    );
    const ends = (await admin.fetchTopicOffsets(topic))
      .filter(({ partition }) => uncommitted.has(partition))
      .map(({ partition, high }) => ({ partition, offset: high }));
    if (ends.length > 0) await admin.setOffsets({ groupId, topic, partitions: ends });
  }
  return true;
}
