import Redis from 'ioredis';
import type { ReadinessCheck } from '@platform/observability';

/**
 * A Redis client that fails fast while Redis is down (no offline queue, one attempt per command)
 * and keeps reconnecting in the background, so callers can degrade (fail open) instead of hanging.
 */
export function createRedisClient(url: string, name: string): Redis {
  return new Redis(url, {
    connectionName: name,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    connectTimeout: 2000,
    commandTimeout: 1000,
    retryStrategy: (attempt) => Math.min(attempt * 200, 2000),
  });
}

export function redisReadiness(client: Redis): ReadinessCheck {
  return {
    name: 'redis',
    check: async () => {
      if (client.status !== 'ready') throw new Error(`not connected (${client.status})`);
      const reply = await client.ping();
      if (reply !== 'PONG') throw new Error(`unexpected PING reply ${reply}`);
    },
  };
}
