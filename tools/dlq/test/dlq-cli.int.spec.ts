import { resolve } from 'node:path';
import { randomUUID } from 'node:crypto';
import { Kafka, logLevel } from 'kafkajs';
import { freePort, requireInfrastructure, runNodeCli } from '@platform/testing';

/** Runs the tool as `npm run dlq` does. */
const runCli = (args: string[]) => runNodeCli(resolve(import.meta.dirname, '../src/cli.ts'), args);

const brokers = process.env['KAFKA_BROKERS'] ?? '127.0.0.1:9092';
const kafka = new Kafka({
  clientId: 'dlq-tool-test',
  brokers: brokers.split(','),
  logLevel: logLevel.NOTHING,
});
const admin = kafka.admin();
const producer = kafka.producer();

jest.setTimeout(60_000);

beforeAll(async () => {
  await requireInfrastructure(`Kafka at ${brokers}`, () => admin.connect(), 15_000);
  await producer.connect();
});
afterAll(async () => {
  await producer.disconnect();
  await admin.disconnect();
});

/** A DLQ holding one dead letter whose original topic is `originalTopic` (absent: no such header). */
async function deadLetterTopicWith(
  originalTopic: string | undefined,
): Promise<{ topic: string; ceId: string }> {
  const topic = `test-${randomUUID()}.tool.events.v1.dlq`;
  const ceId = randomUUID();
  await admin.createTopics({ waitForLeaders: true, topics: [{ topic, numPartitions: 1 }] });
  await producer.send({
    topic,
    messages: [
      {
        key: 'k',
        value: '{}',
        headers: {
          ce_id: ceId,
          'dlq-reason': 'handler failed: Error: x',
          ...(originalTopic && { 'dlq-original-topic': originalTopic }),
        },
      },
    ],
  });
  return { topic, ceId };
}

describe('the DLQ tool when it cannot do what it is asked', () => {
  it('when the broker is down, then it exits 1 saying it cannot reach it', async () => {
    const down = `127.0.0.1:${await freePort()}`;

    const result = await runCli(['list', '--brokers', down]);

    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`dlq: cannot reach Kafka at ${down}`);
  });

  it.each([
    ['list', (topic: string) => ['list', '--topic', topic]],
    ['inspect', (topic: string) => ['inspect', topic, '0:0']],
    ['replay', (topic: string) => ['replay', topic, '--all']],
  ])('when %s names a topic that does not exist, then it exits 1 saying so', async (_, argsFor) => {
    const missing = `test-${randomUUID()}.nothing.dlq`;

    const result = await runCli(argsFor(missing));

    expect(result.code).toBe(1);
    expect(result.stderr.trim()).toBe(`dlq: topic ${missing} does not exist`);
  });

  it('when inspect names a position without a message, then it exits 1 saying so', async () => {
    const { topic } = await deadLetterTopicWith('x');

    const result = await runCli(['inspect', topic, '0:5']);

    expect(result.code).toBe(1);
    expect(result.stderr.trim()).toBe(`dlq: ${topic} has no message at 0:5`);
  });

  it('when replay names an id no message has, then it exits 1 and sends nothing', async () => {
    const { topic } = await deadLetterTopicWith('x');

    const result = await runCli(['replay', topic, '--id', 'no-such-id']);

    expect(result.code).toBe(1);
    expect(result.stderr.trim()).toBe(`dlq: no message with ce_id no-such-id in ${topic}`);
    expect(await admin.listTopics()).not.toContain(`${topic}.replayed`);
  });

  it('when the original topic of a parked message is gone, then replay exits 1 and records nothing as replayed', async () => {
    const gone = `test-${randomUUID()}.gone.events.v1`;
    const { topic } = await deadLetterTopicWith(gone);

    const result = await runCli(['replay', topic, '--all']);

    expect(result.code).toBe(1);
    expect(result.stderr.trim()).toBe(`dlq: topic ${gone} does not exist`);
    expect(await admin.listTopics()).not.toContain(`${topic}.replayed`);
  });

  it('when a parked message does not name its original topic, then replay exits 1 explaining why', async () => {
    const { topic } = await deadLetterTopicWith(undefined);

    const result = await runCli(['replay', topic, '--all']);

    expect(result.code).toBe(1);
    expect(result.stderr).toContain('0:0 has no dlq-original-topic header');
  });

  it('when the command line is wrong, then it exits 2 with the usage', async () => {
    const result = await runCli(['replay', 'x.dlq']);

    expect(result.code).toBe(2);
    expect(result.stderr).toContain('replay needs exactly one of --id <ce_id> and --all');
    expect(result.stderr).toContain('usage: npm run dlq');
  });
});
