import { randomUUID } from 'node:crypto';
import { Kafka, logLevel } from 'kafkajs';
import { Registry } from 'prom-client';
import { UserRegistered } from '@platform/contracts';
import { eventually, requireInfrastructure } from '@platform/testing';
import {
  catalogWithTopicAliases,
  createMessagingMetrics,
  declareTopics,
  handlerOf,
  KafkaMessageBus,
  type MessageHandler,
} from '../src';
import { metricValue } from './support/metrics-reading';

const brokers = (process.env['KAFKA_BROKERS'] ?? '127.0.0.1:9092').split(',');
const kafka = new Kafka({ clientId: 'messaging-metrics-test', brokers, logLevel: logLevel.NOTHING });
const admin = kafka.admin();
const maxAttempts = 2;

jest.setTimeout(90_000);

beforeAll(async () => {
  await requireInfrastructure(`Kafka at ${brokers.join(',')}`, () => admin.connect(), 15_000);
});
afterAll(() => admin.disconnect());

async function setUp() {
  const topic = `test-${randomUUID()}.users.events.v1`;
  const group = `metrics-${randomUUID()}`;
  await declareTopics(admin, [topic], { partitions: 3, maxAttempts });
  const registry = new Registry();
  const bus = new KafkaMessageBus(kafka, {
    catalog: catalogWithTopicAliases({ [topic]: UserRegistered.topic }),
    retry: { maxAttempts, baseDelayMs: 0, maxDelayMs: 0 },
    metrics: createMessagingMetrics(registry),
  });
  await bus.connect();
  const publish = (key: string = randomUUID()) =>
    bus.publish({
      topic,
      type: UserRegistered.type,
      key,
      data: { userId: key, email: 'ada@example.com', name: 'Ada' },
      source: 'auth',
    });
  const subscribe = (handle: MessageHandler) =>
    bus.subscribe({ groupId: group, handlers: [handlerOf(UserRegistered, handle, topic)] });
  const count = (name: string, labels: Record<string, string>) =>
    metricValue(registry, name, { group, topic, ...labels });
  return { topic, group, bus, publish, subscribe, count };
}

const until = (condition: () => Promise<boolean>) =>
  eventually(async () => ((await condition()) ? true : undefined), 30_000, 100);

describe('consumer metrics on a real broker', () => {
  it('when the group is stopped while messages are published, then its lag counts them, and is 0 once it caught up', async () => {
    const { publish, subscribe, count, bus } = await setUp();
    const lag = () => count('messaging_consumer_lag', {});
    const handledOk = () => count('messaging_handled_total', { outcome: 'ok' });
    const first = await subscribe(async () => undefined);
    await publish();
    await until(async () => (await handledOk()) === 1);
    await until(async () => (await lag()) === 0);
    await first.stop();

    await Promise.all([publish(), publish(), publish()]);

    expect(await lag()).toBe(3);
    const second = await subscribe(async () => undefined);
    await until(async () => (await handledOk()) === 4);
    await until(async () => (await lag()) === 0);
    await second.stop();
    await bus.disconnect();
  });

  it('when a handler fails every try, then the tries are counted retry then dead-letter', async () => {
    const { publish, subscribe, count, bus } = await setUp();
    const running = await subscribe(async () => {
      throw new Error('always');
    });

    await publish();

    await until(
      async () => (await count('messaging_dead_lettered_total', { reason: 'handler-failed' })) === 1,
    );
    expect(await count('messaging_handled_total', { outcome: 'retry' })).toBe(1);
    expect(await count('messaging_handled_total', { outcome: 'dead-letter' })).toBe(1);
    await running.stop();
    await bus.disconnect();
  });

  it('when stop is called during a slow handler, then the handler finishes, its offset is committed, and the next member of the group does not get it again', async () => {
    const { publish, subscribe, bus } = await setUp();
    const key = randomUUID();
    let release: () => void = () => undefined;
    let started = false;
    const handledIds: string[] = [];
    const first = await subscribe(async (message) => {
      started = true;
      await new Promise<void>((resolve) => (release = resolve));
      handledIds.push(message.id);
    });
    await publish(key);
    await until(async () => started);

    const stopped = first.stop();
    release();
    await stopped;
    expect(handledIds).toHaveLength(1);

    const seenAfter: string[] = [];
    const second = await subscribe(async (message) => void seenAfter.push(message.key));
    // A later message of the same key lands on the same partition, behind the slow one.
    await publish(key);
    await until(async () => seenAfter.length > 0);
    expect(seenAfter).toEqual([key]);
    await second.stop();
    await bus.disconnect();
  });
});
