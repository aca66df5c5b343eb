import { createRedisClient } from '@platform/persistence';
import { eventually, requireInfrastructure } from '@platform/testing';
import { RedisOrderStatusChanges } from '../src/order-events/redis-order-status-changes';

const redisUrl = process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379';

/** One instance's Redis connections, as apps/order/src/adapters.ts opens them. */
function anInstance(channel: string) {
  const redis = createRedisClient(redisUrl, 'order-status-test');
  const subscriber = redis.duplicate({
    enableOfflineQueue: true,
    maxRetriesPerRequest: null,
    commandTimeout: undefined,
  });
  return {
    changes: new RedisOrderStatusChanges(redis, subscriber, channel),
    redis,
    subscriber,
    close: () => {
      redis.disconnect();
      subscriber.disconnect();
    },
  };
}

describe('RedisOrderStatusChanges on a real Redis', () => {
  const channel = `order:status-changed:test-${Date.now().toString(36)}`;
  const saving = anInstance(channel);
  const streaming = anInstance(channel);
  beforeAll(() =>
    requireInfrastructure(`Redis at ${redisUrl}`, async () => {
      // The client fails fast (no offline queue) until its connection is up.
      await eventually(() => saving.redis.ping(), 5000, 50);
      // Subscribed once Redis counts a subscriber on the channel for each instance.
      await eventually(async () => {
        const [, count] = (await saving.redis.call('PUBSUB', 'NUMSUB', channel)) as [string, number];
        return count >= 2 ? true : undefined;
      }, 10_000);
    }),
  );
  afterAll(() => {
    saving.close();
    streaming.close();
  });

  it('when one instance saves a change, then the streams of another instance hear of it, once', async () => {
    const heard: string[] = [];
    const stop = streaming.changes.subscribe('order-1', () => heard.push('order-1'));
    streaming.changes.subscribe('order-2', () => heard.push('order-2'));
    saving.changes.publish('order-1');
    await eventually(async () => (heard.length > 0 ? true : undefined), 10_000);
    stop();
    saving.changes.publish('order-1');
    saving.changes.publish('order-2');
    await eventually(async () => (heard.includes('order-2') ? true : undefined), 10_000);
    expect(heard).toEqual(['order-1', 'order-2']);
  });

  it('when an instance saves a change, then its own streams hear of it at once and not again from Redis', async () => {
    const heard: string[] = [];
    saving.changes.subscribe('order-3', () => heard.push('order-3'));
    saving.changes.subscribe('order-4', () => heard.push('order-4'));
    const other: string[] = [];
    streaming.changes.subscribe('order-3', () => other.push('order-3'));
    saving.changes.publish('order-3');
    expect(heard).toEqual(['order-3']);
    // Redis has published order-3 once the other instance got it; order-4, published after it,
    // reaches the saving instance after its own order-3 came back (one connection, in order).
    await eventually(async () => (other.length > 0 ? true : undefined), 10_000);
    streaming.changes.publish('order-4');
    await eventually(async () => (heard.includes('order-4') ? true : undefined), 10_000);
    expect(heard).toEqual(['order-3', 'order-4']);
  });
});
