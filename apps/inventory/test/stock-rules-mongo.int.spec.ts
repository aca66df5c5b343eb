import { randomUUID } from 'node:crypto';
import { createMongoClient } from '@platform/persistence';
import { requireInfrastructure } from '@platform/testing';
import { MongoProductsRepository } from '../src/products/mongo-products.repository';
import { MongoReservationsRepository } from '../src/reservations/mongo-reservations.repository';
import { MongoStockRepository } from '../src/stock/mongo-stock.repository';
import { describeStockRulesContract } from './contracts/stock-rules.contract';

const mongoUrl = process.env['MONGO_URL'] ?? 'mongodb://127.0.0.1:27017';

/** The stock rules over MongoDB, under real concurrency: only its conditional writes keep stock conserved. */
describeStockRulesContract('MongoDB', async () => {
  const mongo = createMongoClient(mongoUrl, 'inventory-int-test');
  await requireInfrastructure(`MongoDB at ${mongoUrl}`, () => mongo.connect());
  const db = mongo.db(`inventory-rules-${randomUUID().slice(0, 8)}`);
  return {
    stores: () => ({
      products: new MongoProductsRepository(db),
      stock: new MongoStockRepository(db),
      reservations: new MongoReservationsRepository(db),
    }),
    cleanup: async () => {
      await db.dropDatabase();
      await mongo.close();
    },
  };
});
