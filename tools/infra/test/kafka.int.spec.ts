import { Kafka, logLevel, type Consumer, type EachMessagePayload } from 'kafkajs';
import { requireInfrastructure } from '@platform/testing';
import { connection, uniqueName } from './connection.ts';

/** Consumes until `count` messages arrived, then stops the consumer (not disconnects). */
async function consumeMessages(consumer: Consumer, count: number): Promise<EachMessagePayload[]> {
  const received: EachMessagePayload[] = [];
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`only ${received.length}/${count} messages within 30 s`)),
      30_000,
    );
    consumer
      .run({
        autoCommit: false,
        eachMessage: async (payload) => {
          received.push(payload);
          // Commit after the "effect": the offset of the next message to read.
          await consumer.commitOffsets([
            {
              topic: payload.topic,
              partition: payload.partition,
              offset: (BigInt(payload.message.offset) + 1n).toString(),
            },
          ]);
          if (received.length === count) {
            clearTimeout(timer);
            resolve();
          }
        },
      })
      .catch(reject);
  });
  return received;
}

describe('Kafka through kafkajs', () => {
  jest.setTimeout(90_000);
  const kafka = new Kafka({
    clientId: 'connectivity-test',
    brokers: [connection.KAFKA_BROKERS],
    logLevel: logLevel.NOTHING,
    retry: { retries: 3 },
  });
  const admin = kafka.admin();
  const topic = uniqueName('connectivity');
  const groupId = uniqueName('connectivity-group');

  beforeAll(async () => {
    await requireInfrastructure(`Kafka at ${connection.KAFKA_BROKERS}`, () => admin.connect(), 10_000);
    await admin.createTopics({
      topics: [{ topic, numPartitions: 3, replicationFactor: 1 }],
      waitForLeaders: true,
    });
  });
  afterAll(() => admin.disconnect());

  it('when a topic is declared with 3 partitions, then the broker reports 3', async () => {
    const metadata = await admin.fetchTopicMetadata({ topics: [topic] });
    expect(metadata.topics[0]?.partitions).toHaveLength(3);
  });

  it('when a topic is not declared, then the broker does not create it on use', async () => {
    const producer = kafka.producer({ allowAutoTopicCreation: true, retry: { retries: 1 } });
    await producer.connect();
    const undeclared = uniqueName('undeclared');
    await expect(
      producer.send({ topic: undeclared, messages: [{ value: 'x' }], timeout: 3000 }),
    ).rejects.toThrow();
    await producer.disconnect();
    expect(await admin.listTopics()).not.toContain(undeclared);
  });

  it('when an idempotent producer sends with acks=all, then a group consumes, commits, and a rejoining member resumes after the commit', async () => {
    const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    const send = (keys: string[]) =>
      producer.send({
        topic,
        acks: -1,
        messages: keys.map((key) => ({ key, value: JSON.stringify({ key }) })),
      });
    await send(['order-1', 'order-2', 'order-3', 'order-4']);

    const first = kafka.consumer({ groupId, sessionTimeout: 10_000, heartbeatInterval: 1000 });
    await first.connect();
    await first.subscribe({ topics: [topic], fromBeginning: true });
    const firstBatch = await consumeMessages(first, 4);
    expect(firstBatch.map(({ message }) => message.key?.toString()).sort()).toEqual([
      'order-1',
      'order-2',
      'order-3',
      'order-4',
    ]);
    await first.disconnect(); // leaves the group

    await send(['order-5', 'order-6']);
    const second = kafka.consumer({ groupId, sessionTimeout: 10_000, heartbeatInterval: 1000 });
    await second.connect();
    await second.subscribe({ topics: [topic], fromBeginning: true });
    const secondBatch = await consumeMessages(second, 2);
    await second.disconnect();
    await producer.disconnect();

    // Committed offsets were honoured: nothing of the first batch came again.
    expect(secondBatch.map(({ message }) => message.key?.toString()).sort()).toEqual(['order-5', 'order-6']);
    const offsets = await admin.fetchOffsets({ groupId, topics: [topic] });
    const committed = offsets[0]?.partitions.reduce((sum, partition) => sum + Number(partition.offset), 0);
    expect(committed).toBe(6);
  });
});
