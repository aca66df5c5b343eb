import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { Kafka, logLevel } from 'kafkajs';
import { UserRegistered } from '@platform/contracts';
import { eventually, requireInfrastructure } from '@platform/testing';
import {
  catalogWithTopicAliases,
  declareTopics,
  deadLetterTopicOf,
  handlerOf,
  KafkaMessageBus,
  type ConsumedRecord,
} from '../src';
import { withLeadershipRetries } from '../src/kafka/leadership-retries';
import { describeMessageBusContract } from './message-bus.contract';

const brokers = (process.env['KAFKA_BROKERS'] ?? '127.0.0.1:9092').split(',');
const kafka = new Kafka({ clientId: 'messaging-contract-test', brokers, logLevel: logLevel.NOTHING });
const admin = kafka.admin();

jest.setTimeout(90_000);

/** Tries in all in these tests: two retry topics, then the DLQ. */
const maxAttempts = 3;

beforeAll(async () => {
  await requireInfrastructure(`Kafka at ${brokers.join(',')}`, () => admin.connect(), 15_000);
});
afterAll(() => admin.disconnect());

describeMessageBusContract(
  'kafkajs and a real broker',
  async () => {
    const topic = `test-${randomUUID()}.users.events.v1`;
    await declareTopics(admin, [topic], { partitions: 3, maxAttempts });
    const bus = new KafkaMessageBus(kafka, {
      catalog: catalogWithTopicAliases({ [topic]: 'users.events.v1' }),
      retry: { maxAttempts, baseDelayMs: 100, maxDelayMs: 400 },
    });
    await bus.connect();
    const rawProducer = kafka.producer({ allowAutoTopicCreation: false });
    await rawProducer.connect();
    const deadLetters: ConsumedRecord[] = [];
    const deadLetterReader = kafka.consumer({ groupId: `dlq-reader-${randomUUID()}` });
    await deadLetterReader.connect();
    // Like the bus's own members: a busy broker may not yet serve the metadata of a topic just created.
    await withLeadershipRetries(() =>
      deadLetterReader.subscribe({ topic: deadLetterTopicOf(topic), fromBeginning: true }),
    );
    await deadLetterReader.run({
      eachMessage: async ({ topic: from, partition, message }) => {
        const headers = Object.fromEntries(
          Object.entries(message.headers ?? {}).map(([name, value]) => [name, String(value)]),
        );
        deadLetters.push({
          topic: from,
          partition,
          offset: message.offset,
          key: message.key?.toString() ?? null,
          value: message.value,
          headers,
        });
      },
    });
    return {
      bus,
      topic,
      publishRaw: async (record) => void (await rawProducer.send({ topic, messages: [record] })),
      deadLetters: async () => [...deadLetters],
      maxAttempts,
      close: async () => {
        await Promise.all([bus.disconnect(), rawProducer.disconnect(), deadLetterReader.disconnect()]);
      },
    };
  },
  60_000,
);

describe('declaring topics on a real broker', () => {
  it('when topics are declared twice, then the second call creates nothing and each has its partitions, its retry topics and its DLQ', async () => {
    const topic = `test-${randomUUID()}.orders.events.v1`;
    const all = [topic, `${topic}.retry.1`, `${topic}.retry.2`, `${topic}.retry.3`, `${topic}.dlq`];

    const created = await declareTopics(admin, [topic], { partitions: 3, maxAttempts: 4 });
    const createdAgain = await declareTopics(admin, [topic], { partitions: 3, maxAttempts: 4 });

    expect(created.sort()).toEqual([...all].sort());
    expect(createdAgain).toEqual([]);
    const { topics } = await admin.fetchTopicMetadata({ topics: all });
    expect(topics.map((metadata) => metadata.partitions.length)).toEqual([3, 3, 3, 3, 3]);
  });
});

describe('a member that replaces one that died without leaving the group', () => {
  it('when it subscribes, then subscribe resolves before the broker gives up on the dead member, and joined() turns true once it has', async () => {
    const topic = `test-${randomUUID()}.users.events.v1`;
    const groupId = `test-${randomUUID()}`;
    await declareTopics(admin, [topic], { partitions: 3, maxAttempts });
    // The dead member: a process that joins with a 10 s session and is SIGKILLed, leaving nothing.
    const dead = spawn(
      process.execPath,
      [
        '-e',
        `const { Kafka, logLevel } = require('kafkajs');
         const consumer = new Kafka({ brokers: ${JSON.stringify(brokers)}, logLevel: logLevel.NOTHING })
           .consumer({ groupId: ${JSON.stringify(groupId)}, sessionTimeout: 10000, heartbeatInterval: 1000 });
         consumer.on(consumer.events.GROUP_JOIN, () => console.log('joined'));
         consumer.connect()
           .then(() => consumer.subscribe({ topic: ${JSON.stringify(topic)} }))
           .then(() => consumer.run({ eachMessage: async () => {} }));`,
      ],
      { cwd: __dirname, stdio: ['ignore', 'pipe', 'inherit'] },
    );
    await new Promise<void>((resolve, reject) => {
      dead.stdout?.on('data', (chunk: Buffer) => chunk.toString().includes('joined') && resolve());
      dead.once('exit', (code) => reject(new Error(`the first member exited (${code}) before it joined`)));
    });
    dead.kill('SIGKILL');

    const bus = new KafkaMessageBus(kafka, {
      catalog: catalogWithTopicAliases({ [topic]: 'users.events.v1' }),
      retry: { maxAttempts },
    });
    await bus.connect();
    try {
      const subscription = await bus.subscribe({
        groupId,
        handlers: [handlerOf(UserRegistered, () => Promise.resolve(), topic)],
      });
      // Resolved while the broker still waits for the dead member: a service using it is live now.
      expect(subscription.joined()).toBe(false);
      await eventually(async () => (subscription.joined() ? true : undefined), 60_000);
    } finally {
      await bus.disconnect();
    }
  });
});

describe('a member that kafkajs stops for good', () => {
  it('when a record cannot be sent on (the broker refuses it for good), then failure() names the error and onConsumerCrash hears it once', async () => {
    const topic = `test-${randomUUID()}.users.events.v1`;
    // The DLQ takes records of at most 64 bytes: the dead letter of any record is refused, for good.
    await admin.createTopics({
      topics: [
        {
          topic: deadLetterTopicOf(topic),
          numPartitions: 3,
          configEntries: [{ name: 'max.message.bytes', value: '64' }],
        },
      ],
    });
    await declareTopics(admin, [topic], { partitions: 3, maxAttempts });
    const crashes: Error[] = [];
    const bus = new KafkaMessageBus(kafka, {
      catalog: catalogWithTopicAliases({ [topic]: 'users.events.v1' }),
      retry: { maxAttempts },
      onConsumerCrash: (error) => crashes.push(error),
    });
    await bus.connect();
    const producer = kafka.producer({ allowAutoTopicCreation: false });
    await producer.connect();
    try {
      const subscription = await bus.subscribe({
        groupId: `test-${randomUUID()}`,
        handlers: [handlerOf(UserRegistered, () => Promise.resolve(), topic)],
      });
      await eventually(async () => (subscription.joined() ? true : undefined), 60_000);
      expect(subscription.failure()).toBeUndefined();

      // Not an envelope: it goes straight to the DLQ, which refuses it.
      await producer.send({ topic, messages: [{ key: 'k', value: 'not a cloud event' }] });

      const failure = await eventually(async () => subscription.failure(), 60_000);
      expect(failure.message).toMatch(/too large|larger than/i);
      expect(crashes).toEqual([failure]);
    } finally {
      await Promise.all([bus.disconnect(), producer.disconnect()]);
    }
  });
});

describe('committing what a member has done', () => {
  /** The test's Kafka, counting the commits of every consumer the bus creates. */
  function countingCommits(): { kafka: Kafka; commits: () => number } {
    let commits = 0;
    const counting = Object.create(kafka) as Kafka;
    counting.consumer = (config) => {
      const consumer = kafka.consumer(config);
      consumer.on(consumer.events.COMMIT_OFFSETS, () => (commits += 1));
      return consumer;
    };
    return { kafka: counting, commits: () => commits };
  }

  const backlog = 60;

  /** A one-partition topic holding `backlog` messages, and a bus over it whose consumers' commits are counted. */
  async function topicWithBacklog() {
    const topic = `test-${randomUUID()}.users.events.v1`;
    await declareTopics(admin, [topic], { partitions: 1, maxAttempts });
    const { kafka: countingKafka, commits } = countingCommits();
    const bus = new KafkaMessageBus(countingKafka, {
      catalog: catalogWithTopicAliases({ [topic]: 'users.events.v1' }),
      retry: { maxAttempts },
    });
    await bus.connect();
    for (let index = 0; index < backlog; index += 1) {
      const userId = randomUUID();
      await bus.publish({
        topic,
        type: UserRegistered.type,
        key: userId,
        data: { userId, email: `user${index}@example.com`, name: 'Ada' },
        source: 'auth',
        correlationId: `saga-${userId}`,
      });
    }
    const committed = async (groupId: string) => {
      const [offsets] = await admin.fetchOffsets({ groupId, topics: [topic] });
      return Number(offsets?.partitions[0]?.offset ?? -1);
    };
    return { topic, bus, commits, committed };
  }

  /** A new group over the backlog, from `startAt`, until it has committed the whole backlog: how many messages it handled, with how many commits. */
  async function consumeBacklog(startAt?: 'latest'): Promise<{ handled: number; commits: number }> {
    const { topic, bus, commits, committed } = await topicWithBacklog();
    const groupId = `test-${randomUUID()}`;
    let handled = 0;
    try {
      await bus.subscribe({
        groupId,
        ...(startAt ? { startAt } : {}),
        handlers: [handlerOf(UserRegistered, async () => void (handled += 1), topic)],
      });
      await eventually(async () => ((await committed(groupId)) === backlog ? true : undefined), 60_000);
      return { handled, commits: commits() };
    } finally {
      await bus.disconnect();
    }
  }

  it('when a new member handles a backlog, then every message is committed with far fewer commits than messages', async () => {
    const { handled, commits } = await consumeBacklog();
    expect(handled).toBe(backlog);
    expect(commits).toBeLessThan(backlog / 4);
  });

  it('when a new group starts at the latest offset over a backlog, then it passes over the backlog with a commit per batch, handling none of it', async () => {
    const { handled, commits } = await consumeBacklog('latest');
    expect(handled).toBe(0);
    expect(commits).toBeLessThan(backlog / 4);
  });
});
