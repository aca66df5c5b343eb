import { once } from 'node:events';
import type { ReadinessCheck } from '@platform/observability';
import {
  type Closable,
  createMongoClient,
  createRedisClient,
  mongoReadiness,
  redisReadiness,
} from '@platform/persistence';
import type { AuthConfig } from './config';
import type { AttemptCounter } from './login-throttle/attempt-counter.port';
import { InMemoryAttemptCounter } from './login-throttle/in-memory-attempt-counter';
import { RedisAttemptCounter } from './login-throttle/redis-attempt-counter';
import { InMemoryRefreshTokensRepository } from './refresh-tokens/in-memory-refresh-tokens.repository';
import { MongoRefreshTokensRepository } from './refresh-tokens/mongo-refresh-tokens.repository';
import type { RefreshTokensRepository } from './refresh-tokens/refresh-tokens.repository.port';
import { InMemoryUsersRepository } from './users/in-memory-users.repository';
import { MongoUsersRepository } from './users/mongo-users.repository';
import type { UsersRepository } from './users/users.repository.port';

export interface AuthAdapters {
  users: UsersRepository;
  refreshTokens: RefreshTokensRepository;
  attempts: AttemptCounter;
  readinessChecks: ReadinessCheck[];
  closables: Closable[];
}

/** The embedded profile: in-memory adapters, no connection to anything. */
export function inMemoryAdapters(): AuthAdapters {
  return {
    users: new InMemoryUsersRepository(),
    refreshTokens: new InMemoryRefreshTokensRepository(),
    attempts: new InMemoryAttemptCounter(),
    readinessChecks: [],
    closables: [],
  };
}

/**
 * local, compose, production: MongoDB for users and refresh tokens, Redis for the login counters.
 * MongoDB must answer at start (indexes are created and the admin seeded before serving); Redis is
 * given a few seconds, then the service starts anyway and readiness reports it.
 */
export async function connectedAdapters(config: AuthConfig): Promise<AuthAdapters> {
  if (!config.MONGO_URL || !config.REDIS_URL)
    throw new Error('MONGO_URL and REDIS_URL are required outside the embedded profile');
  const mongo = createMongoClient(config.MONGO_URL, 'auth');
  const redis = createRedisClient(config.REDIS_URL, 'auth');
  const closables: Closable[] = [
    { name: 'mongodb', close: () => mongo.close() },
    { name: 'redis', close: () => redis.quit().catch(() => redis.disconnect()) },
  ];
  try {
    await mongo.connect();
    const db = mongo.db(config.MONGO_DATABASE);
    const users = new MongoUsersRepository(db);
    const refreshTokens = new MongoRefreshTokensRepository(db);
    await users.ensureIndexes();
    await refreshTokens.ensureIndexes();
    await Promise.race([once(redis, 'ready'), new Promise((resolve) => setTimeout(resolve, 3000).unref())]);
    return {
      users,
      refreshTokens,
      attempts: new RedisAttemptCounter(redis),
      readinessChecks: [mongoReadiness(mongo), redisReadiness(redis)],
      closables,
    };
  } catch (error) {
    await Promise.allSettled(closables.map((closable) => closable.close()));
    throw error;
  }
}
