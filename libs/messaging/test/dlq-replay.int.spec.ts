import { randomUUID } from 'node:crypto';
import { Kafka, logLevel } from 'kafkajs';
import { UserRegistered } from '@platform/contracts';
import { eventually, requireInfrastructure } from '@platform/testing';
import {
  catalogWithTopicAliases,
  deadLetterTopicOf,
  declareTopics,
  handlerOf,
  KafkaMessageBus,
} from '../src';
import { runDlqTool } from './support/dlq-cli';

const brokers = (process.env['KAFKA_BROKERS'] ?? '127.0.0.1:9092').split(',');
const kafka = new Kafka({ clientId: 'messaging-dlq-test', brokers, logLevel: logLevel.NOTHING });
const admin = kafka.admin();
const maxAttempts = 2;

jest.setTimeout(120_000);

beforeAll(async () => {
  await requireInfrastructure(`Kafka at ${brokers.join(',')}`, () => admin.connect(), 15_000);
});
afterAll(() => admin.disconnect());

const until = (condition: () => Promise<boolean>) =>
  eventually(async () => ((await condition()) ? true : undefined), 30_000, 100);

async function messagesIn(topic: string): Promise<number> {
  const partitions = await admin.fetchTopicOffsets(topic);
  return partitions.reduce((sum, { high, low }) => sum + Number(high) - Number(low), 0);
}

describe('the DLQ tool on what the Kafka bus parked', () => {
  it('when a parked message is replayed after its handler was fixed, then it is handled once, and a second replay sends nothing', async () => {
    const topic = `test-${randomUUID()}.users.events.v1`;
    const dlqTopic = deadLetterTopicOf(topic);
    await declareTopics(admin, [topic], { partitions: 3, maxAttempts });
    const bus = new KafkaMessageBus(kafka, {
      catalog: catalogWithTopicAliases({ [topic]: UserRegistered.topic }),
      retry: { maxAttempts, baseDelayMs: 0, maxDelayMs: 0 },
    });
    await bus.connect();
    let failing = true;
    const handled: string[] = [];
    const running = await bus.subscribe({
      groupId: `dlq-test-${randomUUID()}`,
      handlers: [
        handlerOf(
          UserRegistered,
          async (message) => {
            if (failing) throw new Error('mailer down');
            handled.push(message.id);
          },
          topic,
        ),
      ],
    });
    const key = randomUUID();
    const publish = (id: string) =>
      bus.publish({
        topic,
        type: UserRegistered.type,
        key,
        id,
        data: { userId: key, email: 'ada@example.com', name: 'Ada' },
        source: 'auth',
      });
    const eventId = randomUUID();

    await publish(eventId);
    await until(async () => (await messagesIn(dlqTopic)) === 1);

    const overview = await runDlqTool(['list', '--brokers', brokers.join(',')]);
    expect(overview.code).toBe(0);
    expect(overview.stdout).toMatch(new RegExp(`^${dlqTopic.replaceAll('.', '\\.')}\\s+1$`, 'm'));
    const listed = await runDlqTool(['list', '--topic', dlqTopic]);
    expect(listed.code).toBe(0);
    const line = listed.stdout.split('\n').find((row) => row.includes(eventId)) ?? '';
    expect(line.split(/\s{2,}/)).toEqual([
      expect.stringMatching(/^\d+:0$/),
      expect.any(String),
      UserRegistered.type,
      eventId,
      String(maxAttempts),
      'no',
      'handler failed: Error: mailer down',
    ]);
    const position = line.split(' ')[0] ?? '';
    const inspected = await runDlqTool(['inspect', dlqTopic, position]);
    expect(inspected.code).toBe(0);
    expect(inspected.stdout).toMatch(new RegExp(`dlq-original-topic\\s+${topic.replaceAll('.', '\\.')}`));
    expect(inspected.stdout).toContain(`"userId": "${key}"`);

    failing = false;
    const replayed = await runDlqTool(['replay', dlqTopic, '--all']);
    expect(replayed).toMatchObject({ code: 0, stderr: '' });
    expect(replayed.stdout).toContain(
      `replayed ${position} (ce_id ${eventId}, ${UserRegistered.type}) → ${topic}`,
    );
    await until(async () => handled.includes(eventId));

    const again = await runDlqTool(['replay', dlqTopic, '--all']);
    const byId = await runDlqTool(['replay', dlqTopic, '--id', eventId]);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain(`skipped ${position} (ce_id ${eventId}): replayed before`);
    expect(again.stdout).toContain(`nothing to replay from ${dlqTopic}`);
    expect(byId.stdout).toContain(`nothing to replay from ${dlqTopic}`);
    expect((await runDlqTool(['list', '--topic', dlqTopic])).stdout).toMatch(
      new RegExp(`${eventId}\\s+2\\s+yes`),
    );
    // A later message of the same key comes after any second copy on the partition: once it is handled, none came.
    const later = randomUUID();
    await publish(later);
    await until(async () => handled.includes(later));
    expect(handled).toEqual([eventId, later]);
    await running.stop();
    await bus.disconnect();
  });
});
