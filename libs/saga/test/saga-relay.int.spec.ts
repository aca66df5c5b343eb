import { randomUUID } from 'node:crypto';
import type { Db, MongoClient } from 'mongodb';
import { ReserveStock } from '@platform/contracts';
import { connectMessaging, handlerOf, MongoOutboxStore, type MessagingConnection } from '@platform/messaging';
import { createMongoClient } from '@platform/persistence';
import { eventually, requireInfrastructure } from '@platform/testing';
import { MongoSagaStore, startSaga } from '../src';
import { anOrder, orderSaga } from './support/order-saga';

const mongoUrl = process.env['MONGO_URL'] ?? 'mongodb://127.0.0.1:27017';
let client: MongoClient;
let db: Db;
let messaging: MessagingConnection;
beforeAll(async () => {
  client = createMongoClient(mongoUrl, 'saga-relay-test');
  await requireInfrastructure(`MongoDB at ${mongoUrl}`, () => client.connect());
  db = client.db(`saga-${randomUUID().slice(0, 8)}`);
  messaging = await connectMessaging({ service: 'order', profile: 'embedded' });
});
afterAll(async () => {
  await messaging.close();
  await db.dropDatabase();
  await client.close();
});

describe('MongoSagaStore with the real outbox relay', () => {
  it('when one of two racing writers saves, then exactly its command is published, with the saga as correlation id', async () => {
    const orders = `orders_${randomUUID().replaceAll('-', '').slice(0, 12)}`;
    const orderId = `order-${randomUUID()}`;
    const published: { orderId: string; correlationId: string | undefined }[] = [];
    await messaging.bus.subscribe({
      groupId: `saga-relay-test-${orderId}`,
      handlers: [
        handlerOf(ReserveStock, async (message) => {
          if (message.data.orderId === orderId)
            published.push({ orderId: message.data.orderId, correlationId: message.correlationId });
        }),
      ],
    });
    const outbox = new MongoOutboxStore(db, orders, { leaseCollection: `${orders}_leases` });
    await outbox.ensureIndexes();
    messaging.startOutboxRelay(outbox, { pollIntervalMs: 20 });

    const { state, commands } = startSaga(orderSaga, orderId, anOrder(orderId), Date.now());
    const saved = await Promise.all([
      new MongoSagaStore(db, orders).save({ ...state, version: 1 }, commands, { now: new Date() }),
      new MongoSagaStore(db, orders).save({ ...state, version: 1 }, commands, { now: new Date() }),
    ]);
    expect(saved.filter(Boolean)).toHaveLength(1);

    await eventually(async () => {
      const document = await db
        .collection<{ _id: string; outbox?: unknown[] }>(orders)
        .findOne({ _id: orderId });
      return published.length >= 1 && (document?.outbox ?? []).length === 0 ? true : undefined;
    });
    // The outbox is empty, so nothing else can follow: the losing writer's command was never stored.
    expect(published).toEqual([{ orderId, correlationId: orderId }]);
  });
});
