import { randomUUID } from 'node:crypto';
import type { Db, MongoClient } from 'mongodb';
import { createMongoClient } from '@platform/persistence';
import { requireInfrastructure } from '@platform/testing';
import { MongoSagaStore, startSaga } from '../src';
import { describeSagaStoreContract } from './saga-store.contract';
import { anOrder, orderSaga } from './support/order-saga';

const mongoUrl = process.env['MONGO_URL'] ?? 'mongodb://127.0.0.1:27017';
let client: MongoClient;
let db: Db;
beforeAll(async () => {
  client = createMongoClient(mongoUrl, 'saga-store-test');
  await requireInfrastructure(`MongoDB at ${mongoUrl}`, () => client.connect());
  db = client.db(`saga-${randomUUID().slice(0, 8)}`);
});
afterAll(async () => {
  await db.dropDatabase();
  await client.close();
});

const uniqueName = (prefix: string) => `${prefix}_${randomUUID().replaceAll('-', '').slice(0, 12)}`;

describeSagaStoreContract('MongoDB', async () => {
  const orders = uniqueName('orders');
  return {
    store: new MongoSagaStore(db, orders),
    anotherStore: () => new MongoSagaStore(db, orders),
    readDocument: async (id) =>
      (await db.collection<{ _id: string }>(orders).findOne({ _id: id })) ?? undefined,
    cleanup: async () => {
      await db.collection(orders).drop();
      await db.collection(`${orders}_saga_transitions`).drop();
    },
  };
});

describe('MongoSagaStore on the real server', () => {
  it('when the aggregate exists already, then the saga is embedded in it next to its own fields', async () => {
    const orders = uniqueName('orders');
    await db.collection<{ _id: string; total: number }>(orders).insertOne({ _id: 'order-1', total: 1500 });
    const store = new MongoSagaStore(db, orders, { field: 'process' });
    const { state, commands } = startSaga(orderSaga, 'order-1', anOrder(), 0);
    expect(await store.save({ ...state, version: 1 }, commands, { now: new Date() })).toBe(true);
    const document = await db.collection<{ _id: string }>(orders).findOne({ _id: 'order-1' });
    expect(document).toMatchObject({
      total: 1500,
      process: { status: 'RUNNING', version: 1 },
      outbox: [{ type: 'ReserveStock' }],
    });
  });

  it('when a writer died after its transition record but before the aggregate update, then a later reader rolls it forward once', async () => {
    const orders = uniqueName('orders');
    let clock = new Date(1_000_000);
    const store = new MongoSagaStore(db, orders, { rollForwardAfterMs: 1000, clock: () => clock });
    const { state, commands } = startSaga(orderSaga, 'order-2', anOrder('order-2'), 0);
    await store.save({ ...state, version: 1 }, commands, { now: clock });
    // The commit point of version 2 written, the aggregate never updated: what a crash leaves behind.
    const crashed = { ...state, version: 2, step: 'authorize-payment' };
    await db.collection(`${orders}_saga_transitions`).insertOne({
      _id: 'order-2#2' as never,
      sagaId: 'order-2',
      version: 2,
      state: crashed,
      events: [
        {
          id: randomUUID(),
          type: 'AuthorizePayment',
          occurredAt: clock,
          data: {},
          traceparent: null,
          state: 'pending',
          attempts: 0,
        },
      ],
      savedAt: clock,
    });
    expect(await store.load('order-2')).toMatchObject({ version: 1 });
    clock = new Date(clock.getTime() + 1000);
    expect(await store.load('order-2')).toMatchObject({ version: 2, step: 'authorize-payment' });
    expect(await store.load('order-2')).toMatchObject({ version: 2 });
    const document = await db
      .collection<{ _id: string; outbox: { type: string }[] }>(orders)
      .findOne({ _id: 'order-2' });
    expect(document?.outbox.map((event) => event.type)).toEqual(['ReserveStock', 'AuthorizePayment']);
  });
});
