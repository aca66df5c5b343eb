import { randomUUID } from 'node:crypto';
import type { MongoClient } from 'mongodb';
import { createMongoClient } from '@platform/persistence';
import { requireInfrastructure } from '@platform/testing';
import { MongoRefreshTokensRepository } from '../src/refresh-tokens/mongo-refresh-tokens.repository';
import { MongoUsersRepository } from '../src/users/mongo-users.repository';
import { describeRefreshTokensRepositoryContract } from './contracts/refresh-tokens-repository.contract';
import { describeUsersRepositoryContract } from './contracts/users-repository.contract';

const mongoUrl = process.env['MONGO_URL'] ?? 'mongodb://127.0.0.1:27017';

/** A database of its own per suite and run, dropped afterwards. */
async function freshDatabase(): Promise<{ client: MongoClient; name: string }> {
  const client = createMongoClient(mongoUrl, 'auth-contract-test');
  await requireInfrastructure(`MongoDB at ${mongoUrl}`, () => client.connect());
  return { client, name: `auth-contract-${randomUUID().slice(0, 8)}` };
}

describeUsersRepositoryContract('MongoDB', async () => {
  const { client, name } = await freshDatabase();
  return {
    repository: new MongoUsersRepository(client.db(name)),
    cleanup: async () => {
      await client.db(name).dropDatabase();
      await client.close();
    },
  };
});

describeRefreshTokensRepositoryContract('MongoDB', async () => {
  const { client, name } = await freshDatabase();
  return {
    repository: new MongoRefreshTokensRepository(client.db(name)),
    cleanup: async () => {
      await client.db(name).dropDatabase();
      await client.close();
    },
  };
});
