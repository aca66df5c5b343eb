import { randomUUID } from 'node:crypto';
import type { Db, MongoClient } from 'mongodb';
import { createMongoClient } from '@platform/persistence';
import { requireInfrastructure } from '@platform/testing';

const mongoUrl = process.env['MONGO_URL'] ?? 'mongodb://127.0.0.1:27017';

/** A connected client and a database of this run's own, dropped by `close()`. */
export async function connectToTestDatabase(
  appName: string,
): Promise<{ client: MongoClient; db: Db; close(): Promise<void> }> {
  const client = createMongoClient(mongoUrl, appName);
  await requireInfrastructure(`MongoDB at ${mongoUrl}`, () => client.connect());
  const db = client.db(`messaging-${randomUUID().slice(0, 8)}`);
  return {
    client,
    db,
    close: async () => {
      await db.dropDatabase();
      await client.close();
    },
  };
}

/** Collection names unique to one test, so tests of one run never see each other's documents. */
export function uniqueCollectionName(prefix: string): string {
  return `${prefix}_${randomUUID().replaceAll('-', '').slice(0, 12)}`;
}
