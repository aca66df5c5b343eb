import { randomBytes, randomUUID } from 'node:crypto';
import { CompressionTypes, Kafka, logLevel, type Producer, type ProducerConfig } from 'kafkajs';
import type { BenchContext } from '../bench-context.ts';
import { formatCount } from '../format.ts';
import { requireBuilt } from '../platform/workspace.ts';
import type { SuiteReport } from './suite-report.ts';

const messageBytes = 256;
const partitions = 6;

interface Mode {
  label: string;
  /** Messages per send call. */
  perSend: number;
  /** Send calls issued without waiting for the earlier ones. */
  concurrent: number;
}

/**
 * The publisher of @platform/messaging (kafka-message-publisher.ts) sends each message as its own
 * request; these modes price that against kafkajs' batching, with the same producer settings
 * (its `producerSettings`, loaded from dist/).
 */
const modes: Mode[] = [
  {
    label: '1 message per send, awaited in turn (as a relay publishing one record at a time)',
    perSend: 1,
    concurrent: 1,
  },
  { label: '1 message per send, 32 sends at once', perSend: 1, concurrent: 32 },
  { label: '100 messages per send, 4 sends at once', perSend: 100, concurrent: 4 },
];

interface Throughput {
  label: string;
  messages: number;
  perSecond: number;
}

/**
 * kafkajs against the local broker with the platform's producer settings (idempotent, acks = all,
 * one request in flight, no compression), 256-byte values with a UUID key, over 6 partitions of a
 * topic of this run's own: produce msg/s in three ways of sending, then one consumer reading it
 * all back (eachMessage, as the services consume) in msg/s.
 */
export async function kafkaSuite(context: BenchContext): Promise<SuiteReport> {
  context.say(`kafka client: produce at acks=all and consume, ${messageBytes}-byte messages`);
  const kafka = new Kafka({
    clientId: `bench-${context.runId}`,
    brokers: (process.env['KAFKA_BROKERS'] || '127.0.0.1:9092').split(',').map((broker) => broker.trim()),
    logLevel: logLevel.NOTHING,
  });
  const topic = `bench-${context.runId}-kafka`;
  const admin = kafka.admin();
  await admin.connect();
  context.onCleanup(async () => {
    await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
    await admin.disconnect();
  });
  // A fresh broker may answer a retriable "does not host this topic-partition" until the new
  // topic's leaders are known; the services' own retry (from dist/, as below) asks again.
  const { withLeadershipRetries } = requireBuilt<{
    withLeadershipRetries: <T>(read: () => Promise<T>) => Promise<T>;
  }>('libs/messaging/src/kafka/leadership-retries.js');
  await withLeadershipRetries(() =>
    admin.createTopics({ waitForLeaders: true, topics: [{ topic, numPartitions: partitions }] }),
  );

  // The platform's own settings, from the built library: the figure is the services' producer.
  const { producerSettings } = requireBuilt<{ producerSettings: ProducerConfig }>(
    'libs/messaging/src/kafka/kafka-message-publisher.js',
  );
  const producer = kafka.producer(producerSettings);
  await producer.connect();
  const produced: Throughput[] = [];
  try {
    for (const mode of modes) {
      context.say(`  producing for ${context.options.durationSeconds} s: ${mode.label}`);
      produced.push(await produceFor(producer, topic, mode, context.options.durationSeconds * 1000));
    }
  } finally {
    await producer.disconnect();
  }
  const total = produced.reduce((sum, { messages }) => sum + messages, 0);
  context.say(`  consuming the ${formatCount(total)} messages back`);
  const consumed = await consumeAll(kafka, topic, total, context);
  const row = ({ label, messages, perSecond }: Throughput) => [
    label,
    formatCount(messages),
    formatCount(perSecond),
    ((perSecond * messageBytes) / 1e6).toFixed(1),
  ];
  return {
    suite: 'kafka',
    title: `kafka client (kafkajs): ${messageBytes}-byte messages, idempotent producer, acks=all, ${partitions} partitions, one broker`,
    table: {
      headers: ['', 'messages', 'msg/s', 'MB/s'],
      rows: [...produced.map((each) => row({ ...each, label: `produce: ${each.label}` })), row(consumed)],
    },
    notes: [
      'one broker on this machine: acks=all waits for one replica; with three, add a replication round trip per request',
      'the client runs in the benchmark process, the broker beside it on the same cores',
    ],
    figures: { messageBytes, partitions, produced, consumed },
  };
}

async function produceFor(producer: Producer, topic: string, mode: Mode, ms: number): Promise<Throughput> {
  const value = randomBytes(messageBytes);
  const started = performance.now();
  let messages = 0;
  const sender = async () => {
    while (performance.now() - started < ms) {
      await producer.send({
        topic,
        acks: -1,
        compression: CompressionTypes.None,
        messages: Array.from({ length: mode.perSend }, () => ({ key: randomUUID(), value })),
      });
      messages += mode.perSend;
    }
  };
  await Promise.all(Array.from({ length: mode.concurrent }, sender));
  return { label: mode.label, messages, perSecond: messages / ((performance.now() - started) / 1000) };
}

async function consumeAll(
  kafka: Kafka,
  topic: string,
  expected: number,
  context: BenchContext,
): Promise<Throughput> {
  const consumer = kafka.consumer({ groupId: `bench-${context.runId}-kafka` });
  await consumer.connect();
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    let messages = 0;
    let started = 0;
    const done = new Promise<void>((resolve) => {
      void consumer.run({
        eachMessage: async () => {
          // Timed from the first message: the group's join and assignment are not the client's throughput.
          if (messages === 0) started = performance.now();
          messages += 1;
          if (messages >= expected) resolve();
        },
      });
    });
    const deadline = new Promise<never>((_, reject) =>
      setTimeout(() => reject(new Error(`consumed ${messages} of ${expected} in 300 s`)), 300_000).unref(),
    );
    await Promise.race([done, deadline]);
    return {
      label: 'consume: one consumer, eachMessage',
      messages,
      perSecond: messages / ((performance.now() - started) / 1000),
    };
  } finally {
    await consumer.disconnect();
  }
}
