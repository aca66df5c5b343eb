import { randomUUID } from 'node:crypto';
import type { Collection, Document, MongoClient } from 'mongodb';
import { createMongoClient } from '@platform/persistence';
import { requireInfrastructure } from '@platform/testing';

export const mongoUrl = process.env['MONGO_URL'] ?? 'mongodb://127.0.0.1:27017';

/** A database of this run only, dropped by `drop()`. */
export async function connectMongo(
  name: string,
): Promise<{ mongo: MongoClient; orders: Collection<Document>; drop(): Promise<void> }> {
  const mongo = createMongoClient(mongoUrl, name);
  await requireInfrastructure(`MongoDB at ${mongoUrl}`, () => mongo.connect());
  const db = mongo.db(`test_idempotency_${randomUUID().replaceAll('-', '')}`);
  return {
    mongo,
    orders: db.collection('orders'),
    drop: async () => {
      await db.dropDatabase();
      await mongo.close();
    },
  };
}
