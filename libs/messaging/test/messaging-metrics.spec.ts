import { randomUUID } from 'node:crypto';
import { Registry } from 'prom-client';
import { UserRegistered } from '@platform/contracts';
import { eventually } from '@platform/testing';
import {
  catalogWithTopicAliases,
  createMessagingMetrics,
  deadLetterTopicOf,
  handlerOf,
  InMemoryMessageBus,
  type MessageHandler,
  type MessagingMetrics,
} from '../src';
import { metricSamples, metricValue } from './support/metrics-reading';

const group = 'notification';

function setUp(maxAttempts = 3) {
  const topic = `test-${randomUUID()}.users.events.v1`;
  const registry = new Registry();
  const metrics = createMessagingMetrics(registry);
  const bus = new InMemoryMessageBus({
    catalog: catalogWithTopicAliases({ [topic]: UserRegistered.topic }),
    // No backoff: a retry is due at once, so the tests wait for outcomes, not for timers.
    retry: { maxAttempts, baseDelayMs: 0, maxDelayMs: 0 },
    metrics,
  });
  const publish = (key = randomUUID()) =>
    bus.publish({
      topic,
      type: UserRegistered.type,
      key,
      data: { userId: key, email: 'ada@example.com', name: 'Ada' },
      source: 'auth',
    });
  const subscribe = (handle: MessageHandler, on: Pick<InMemoryMessageBus, 'subscribe'> = bus) =>
    on.subscribe({ groupId: group, handlers: [handlerOf(UserRegistered, handle, topic)] });
  const handled = (outcome: string) =>
    metricValue(registry, 'messaging_handled_total', { group, topic, type: UserRegistered.type, outcome });
  return { topic, registry, metrics, bus, publish, subscribe, handled };
}

const until = (condition: () => Promise<boolean>) =>
  eventually(async () => ((await condition()) ? true : undefined), 2000, 5);

describe('consumer metrics of the in-memory bus', () => {
  it('when a handler succeeds, then it is counted ok with its duration, and no handler stays in flight', async () => {
    const { registry, publish, subscribe, handled, topic } = setUp();
    const running = await subscribe(async () => undefined);

    await publish();
    await publish();

    await until(async () => (await handled('ok')) === 2);
    expect(
      await metricValue(registry, 'messaging_handler_duration_seconds', {
        group,
        topic,
        outcome: 'ok',
        le: '+Inf',
      }),
    ).toBe(2);
    expect(await handled('retry')).toBe(0);
    expect(await metricValue(registry, 'messaging_in_flight_handlers', { group })).toBe(0);
    await running.stop();
  });

  it('when a handler fails once, then it is counted retry, and ok when the retry succeeds', async () => {
    const { publish, subscribe, handled, registry } = setUp();
    let calls = 0;
    const running = await subscribe(async () => {
      calls += 1;
      if (calls === 1) throw new Error('store unavailable');
    });

    await publish();

    await until(async () => (await handled('ok')) === 1);
    expect(await handled('retry')).toBe(1);
    expect(await metricValue(registry, 'messaging_dead_lettered_total')).toBe(0);
    await running.stop();
  });

  it('when a handler fails every try, then the last is counted dead-letter, with reason handler-failed', async () => {
    const { publish, subscribe, handled, registry, topic, bus } = setUp(2);
    const running = await subscribe(async () => {
      throw new Error('always');
    });

    await publish();

    await until(async () => (await handled('dead-letter')) === 1);
    expect(await handled('retry')).toBe(1);
    expect(await handled('ok')).toBe(0);
    expect(
      await metricValue(registry, 'messaging_dead_lettered_total', {
        group,
        topic,
        reason: 'handler-failed',
      }),
    ).toBe(1);
    expect(bus.recordsOf(deadLetterTopicOf(topic))).toHaveLength(1);
    await running.stop();
  });

  it('when a message breaks its contract, then it is dead-lettered as invalid-message and no handler is counted', async () => {
    const { subscribe, registry, topic, bus, handled } = setUp();
    const running = await subscribe(async () => undefined);

    bus.publishRecord(topic, { key: 'user-1', value: Buffer.from('{oops'), headers: {} });

    await until(
      async () =>
        (await metricValue(registry, 'messaging_dead_lettered_total', {
          group,
          topic,
          reason: 'invalid-message',
        })) === 1,
    );
    expect(await handled('dead-letter')).toBe(0);
    await running.stop();
  });

  it('when a handler is running, then it is in flight until it resolves', async () => {
    const { publish, subscribe, registry, handled } = setUp();
    let release: () => void = () => undefined;
    const running = await subscribe(() => new Promise<void>((resolve) => (release = resolve)));

    await publish();

    await until(async () => (await metricValue(registry, 'messaging_in_flight_handlers', { group })) === 1);
    release();
    await until(async () => (await handled('ok')) === 1);
    expect(await metricValue(registry, 'messaging_in_flight_handlers', { group })).toBe(0);
    await running.stop();
  });

  it('when the group is stopped while messages are published, then its lag counts them, and is 0 once it caught up', async () => {
    const { publish, subscribe, registry, handled, topic } = setUp();
    const lag = () => metricValue(registry, 'messaging_consumer_lag', { group, topic });
    const first = await subscribe(async () => undefined);
    await publish();
    await until(async () => (await handled('ok')) === 1);
    expect(await lag()).toBe(0);
    await first.stop();

    await publish();
    await publish();

    expect(await lag()).toBe(2);
    const second = await subscribe(async () => undefined);
    await until(async () => (await handled('ok')) === 3);
    expect(await lag()).toBe(0);
    await second.stop();
  });

  it('when apps share one bus through measuredBy, then each registry counts only its own subscriptions', async () => {
    const { bus, publish, subscribe, handled } = setUp();
    const appRegistry = new Registry();
    const running = await subscribe(
      async () => undefined,
      bus.measuredBy(createMessagingMetrics(appRegistry)),
    );

    await publish();

    await until(
      async () => (await metricValue(appRegistry, 'messaging_handled_total', { outcome: 'ok' })) === 1,
    );
    expect(await handled('ok')).toBe(0);
    expect(await metricValue(appRegistry, 'messaging_consumer_lag', { group })).toBe(0);
    await running.stop();
  });
});

describe('createMessagingMetrics', () => {
  it('when it is called twice on one registry, then both buses record through the same metrics', () => {
    const registry = new Registry();

    expect(createMessagingMetrics(registry)).toBe(createMessagingMetrics(registry));
  });

  it('when a lag source fails or does not answer in time, then the scrape goes on with the others and counts the failures', async () => {
    const registry = new Registry();
    const metrics: MessagingMetrics = createMessagingMetrics(registry, { lagTimeoutMs: 20 });
    metrics.watchLag(async () => [{ group: 'g', topic: 't', partition: 0, lag: 5 }]);
    metrics.watchLag(() => Promise.reject(new Error('broker down')));
    metrics.watchLag(() => new Promise(() => undefined));

    expect(await metricValue(registry, 'messaging_consumer_lag')).toBe(5);
    expect(await metricValue(registry, 'messaging_consumer_lag_failures_total')).toBe(2);
  });

  it('when a lag source is removed, then its samples are no longer reported', async () => {
    const registry = new Registry();
    const metrics = createMessagingMetrics(registry);
    const unwatch = metrics.watchLag(async () => [{ group: 'g', topic: 't', partition: 1, lag: 3 }]);
    expect(await metricValue(registry, 'messaging_consumer_lag', { partition: '1' })).toBe(3);

    unwatch();

    expect(await metricSamples(registry, 'messaging_consumer_lag')).toEqual([]);
  });
});
