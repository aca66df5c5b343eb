import { randomUUID } from 'node:crypto';
import type { Db, MongoClient } from 'mongodb';
import { createMongoClient } from '@platform/persistence';
import { requireInfrastructure } from '@platform/testing';
import { MongoOrdersRepository } from '../src/orders/mongo-orders.repository';
import { ordersRepositoryContract } from './contracts/orders-repository.contract';

const mongoUrl = process.env['MONGO_URL'] ?? 'mongodb://127.0.0.1:27017';
let client: MongoClient;
let db: Db;

beforeAll(async () => {
  client = createMongoClient(mongoUrl, 'order-repository-test');
  await requireInfrastructure(`MongoDB at ${mongoUrl}`, () => client.connect());
  db = client.db(`order-repository-${randomUUID().slice(0, 8)}`);
});
afterAll(async () => {
  await db?.dropDatabase();
  await client?.close();
});

// A collection per test: indexes and documents of one test never meet another's.
ordersRepositoryContract('MongoOrdersRepository on the MongoDB-wire server', async () => {
  const orders = new MongoOrdersRepository(db, `orders_${randomUUID().replaceAll('-', '').slice(0, 12)}`);
  await orders.ensureIndexes();
  return orders;
});
