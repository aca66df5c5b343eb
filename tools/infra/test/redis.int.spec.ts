import Redis from 'ioredis';
import { requireInfrastructure } from '@platform/testing';
import { connection, uniqueName } from './connection.ts';

describe('Redis through ioredis', () => {
  let redis: Redis;
  beforeAll(async () => {
    redis = new Redis(connection.REDIS_URL, {
      lazyConnect: true,
      maxRetriesPerRequest: 1,
      connectTimeout: 2000,
    });
    await requireInfrastructure(`Redis at ${connection.REDIS_URL}`, () => redis.connect());
  });
  afterAll(() => redis.quit());

  it('when a key is set with NX and PX twice, then only the first wins and it expires', async () => {
    const key = uniqueName('lock');
    expect(await redis.set(key, 'first', 'PX', 5000, 'NX')).toBe('OK');
    expect(await redis.set(key, 'second', 'PX', 5000, 'NX')).toBeNull();
    expect(await redis.get(key)).toBe('first');
    const ttl = await redis.pttl(key);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(5000);
  });

  it('when a Lua script runs, then it reads and writes atomically on the server', async () => {
    // Increments only while below a limit: the shape rate limiting and stock checks will take.
    const incrementBelow = `
      local current = tonumber(redis.call('GET', KEYS[1]) or '0')
      if current >= tonumber(ARGV[1]) then return -1 end
      return redis.call('INCR', KEYS[1])`;
    const key = uniqueName('counter');
    const results = await Promise.all(Array.from({ length: 5 }, () => redis.eval(incrementBelow, 1, key, 3)));
    expect([...results].sort()).toEqual([-1, -1, 1, 2, 3]);
    expect(await redis.get(key)).toBe('3');
  });
});
