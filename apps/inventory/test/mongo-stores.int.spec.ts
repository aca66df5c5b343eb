import { randomUUID } from 'node:crypto';
import type { Db } from 'mongodb';
import { createMongoClient } from '@platform/persistence';
import { requireInfrastructure } from '@platform/testing';
import { MongoProductsRepository } from '../src/products/mongo-products.repository';
import { MongoReservationsRepository } from '../src/reservations/mongo-reservations.repository';
import { MongoStockRepository } from '../src/stock/mongo-stock.repository';
import { describeProductsRepositoryContract } from './contracts/products-repository.contract';
import { describeReservationsRepositoryContract } from './contracts/reservations-repository.contract';
import { describeStockRepositoryContract } from './contracts/stock-repository.contract';

const mongoUrl = process.env['MONGO_URL'] ?? 'mongodb://127.0.0.1:27017';

/** A database of its own per suite and run, dropped afterwards. */
function inFreshDatabase<T>(create: (db: Db) => T) {
  return async () => {
    const client = createMongoClient(mongoUrl, 'inventory-contract-test');
    await requireInfrastructure(`MongoDB at ${mongoUrl}`, () => client.connect());
    const db = client.db(`inventory-contract-${randomUUID().slice(0, 8)}`);
    return {
      store: create(db),
      cleanup: async () => {
        await db.dropDatabase();
        await client.close();
      },
    };
  };
}

describeStockRepositoryContract(
  'MongoDB',
  inFreshDatabase((db) => new MongoStockRepository(db)),
);
describeProductsRepositoryContract(
  'MongoDB',
  inFreshDatabase((db) => new MongoProductsRepository(db)),
);
describeReservationsRepositoryContract(
  'MongoDB',
  inFreshDatabase((db) => new MongoReservationsRepository(db)),
);
