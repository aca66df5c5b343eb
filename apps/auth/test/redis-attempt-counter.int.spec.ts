import { once } from 'node:events';
import { randomUUID } from 'node:crypto';
import { createRedisClient } from '@platform/persistence';
import { requireInfrastructure } from '@platform/testing';
import { LoginThrottle } from '../src/login-throttle/login-throttle';
import { RedisAttemptCounter } from '../src/login-throttle/redis-attempt-counter';
import { TooManyAttemptsError } from '../src/domain/errors';
import { describeAttemptCounterContract } from './contracts/attempt-counter.contract';

const redisUrl = process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379';

async function connectedRedis() {
  const redis = createRedisClient(redisUrl, 'auth-throttle-test');
  await requireInfrastructure(`Redis at ${redisUrl}`, () => once(redis, 'ready'));
  return redis;
}

describeAttemptCounterContract('Redis', async () => {
  const redis = await connectedRedis();
  return {
    repository: new RedisAttemptCounter(redis, `auth-test-${randomUUID()}:`),
    cleanup: async () => void redis.disconnect(),
  };
});

describe('login throttle on Redis', () => {
  it('when one account fails more than the limit from one address, then its next attempt from there is refused with the window remaining', async () => {
    const redis = await connectedRedis();
    try {
      const throttle = new LoginThrottle(new RedisAttemptCounter(redis, `auth-test-${randomUUID()}:`), {
        maxFailuresPerAccountFromAddress: 3,
        maxFailuresPerAccount: 20,
        maxFailuresPerAddress: 100,
        windowMs: 60_000,
      });
      for (let attempt = 1; attempt <= 3; attempt++) await throttle.admit('victim@example.com', '10.0.0.1');
      const refusal = await throttle.admit('victim@example.com', '10.0.0.1').catch((error: unknown) => error);
      expect(refusal).toBeInstanceOf(TooManyAttemptsError);
      expect((refusal as TooManyAttemptsError).retryAfterSeconds).toBeGreaterThan(55);
      expect((refusal as TooManyAttemptsError).retryAfterSeconds).toBeLessThanOrEqual(60);
    } finally {
      redis.disconnect();
    }
  });

  it('when Redis is unreachable, then logins are let through rather than refused', async () => {
    const redis = createRedisClient('redis://127.0.0.1:1', 'auth-throttle-test');
    const warnings: string[] = [];
    try {
      const throttle = new LoginThrottle(
        new RedisAttemptCounter(redis),
        {
          maxFailuresPerAccountFromAddress: 1,
          maxFailuresPerAccount: 1,
          maxFailuresPerAddress: 1,
          windowMs: 60_000,
        },
        { warn: (message) => warnings.push(message) },
      );
      await expect(throttle.admit('someone@example.com', '10.0.0.1')).resolves.toBeUndefined();
      await expect(throttle.admit('someone@example.com', '10.0.0.1')).resolves.toBeUndefined();
      expect(warnings[0]).toMatch(/login throttle unavailable/);
    } finally {
      redis.disconnect();
    }
  });
});
