import { MongoClient } from 'mongodb';
import type { ReadinessCheck } from '@platform/observability';

/** A MongoDB client with bounded waits: a down server fails requests in seconds, not minutes. */
export function createMongoClient(url: string, appName: string): MongoClient {
  return new MongoClient(url, {
    appName,
    serverSelectionTimeoutMS: 3000,
    connectTimeoutMS: 3000,
    socketTimeoutMS: 10_000,
  });
}

export function mongoReadiness(client: MongoClient): ReadinessCheck {
  return {
    name: 'mongodb',
    check: async () => {
      await client.db('admin').command({ ping: 1 });
    },
  };
}
