import { randomUUID } from 'node:crypto';
import { Kafka, logLevel } from 'kafkajs';
import { allTopics, UserRegistered } from '@platform/contracts';
import { eventually, requireInfrastructure } from '@platform/testing';
import { connectMessaging, deadLetterTopicOf, handlerOf, retryTopicsOf } from '../src';

const brokers = process.env['KAFKA_BROKERS'] ?? '127.0.0.1:9092';
const admin = new Kafka({
  clientId: 'connect-messaging-test',
  brokers: brokers.split(','),
  logLevel: logLevel.NOTHING,
}).admin();

jest.setTimeout(90_000);

beforeAll(async () => {
  await requireInfrastructure(`Kafka at ${brokers}`, () => admin.connect(), 15_000);
});
afterAll(() => admin.disconnect());

describe('connectMessaging against a real broker', () => {
  it('when a service connects, then every contract topic with its retry and dead-letter topics exists, with at least 3 partitions', async () => {
    const connection = await connectMessaging({ service: 'connect-test', profile: 'local', brokers });
    try {
      const existing = new Set(await admin.listTopics());
      for (const topic of allTopics)
        for (const declared of [topic, ...retryTopicsOf(topic, 3), deadLetterTopicOf(topic)])
          expect(existing).toContain(declared);
      const [metadata] = (await admin.fetchTopicMetadata({ topics: [UserRegistered.topic] })).topics;
      expect(metadata?.partitions.length).toBeGreaterThanOrEqual(3);
      expect(connection.readinessChecks.map((check) => check.name)).toEqual([
        'kafka',
        'consumer-groups',
        'consumers',
      ]);
      // The broker answers, and with no subscription there is no member to wait for.
      for (const check of connection.readinessChecks) await check.check();
    } finally {
      await connection.close();
    }
  });

  it('when one service publishes and another subscribes, then the message arrives with the publisher as its source', async () => {
    const producer = await connectMessaging({ service: 'auth', profile: 'local', brokers });
    const consumer = await connectMessaging({ service: 'notification', profile: 'local', brokers });
    try {
      const userId = randomUUID();
      const received: { id: string; source: string }[] = [];
      await consumer.bus.subscribe({
        groupId: `connect-test-${randomUUID()}`,
        handlers: [
          handlerOf(UserRegistered, async (message) => {
            if (message.key === userId) received.push({ id: message.id, source: message.source });
          }),
        ],
      });
      const id = randomUUID();
      await producer.bus.publish({
        id,
        topic: UserRegistered.topic,
        type: UserRegistered.type,
        key: userId,
        data: { userId, email: 'ada@example.com', name: 'Ada' },
        source: 'auth',
      });
      await eventually(async () => (received.length > 0 ? received : undefined), 60_000);
      expect(received).toEqual([{ id, source: 'auth' }]);
    } finally {
      await Promise.all([producer.close(), consumer.close()]);
    }
  });

  it('when the broker cannot be reached, then connecting fails instead of starting a service that cannot publish', async () => {
    await expect(
      connectMessaging({ service: 'connect-test', profile: 'local', brokers: '127.0.0.1:1' }),
    ).rejects.toThrow();
  });
});
