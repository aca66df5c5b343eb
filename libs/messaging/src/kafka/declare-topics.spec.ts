import { defaultRetryPolicy } from '../consuming/retry-topics';
import { declareTopics, type TopicAdmin } from './declare-topics';

/** A broker's topic list in memory, as kafkajs' admin would report it. */
function adminWith(
  existing: string[],
): TopicAdmin & { created: { topic: string; numPartitions?: number }[] } {
  const topics = new Set(existing);
  const created: { topic: string; numPartitions?: number }[] = [];
  return {
    created,
    listTopics: async () => [...topics],
    createTopics: async (options) => {
      for (const topic of options.topics) {
        topics.add(topic.topic);
        created.push(topic);
      }
      return true;
    },
  };
}

describe('declareTopics', () => {
  it("when waiting for the new topics' leaders fails with a retriable error, then it declares again and reports every topic it created", async () => {
    const admin = adminWith([]);
    const create = admin.createTopics;
    let calls = 0;
    admin.createTopics = async (options) => {
      await create(options);
      if (++calls === 1)
        throw Object.assign(new Error('This server does not host this topic-partition'), { retriable: true });
      return true;
    };

    const created = await declareTopics(admin, ['orders.events.v1'], { partitions: 3, maxAttempts: 1 });

    expect(created).toEqual(['orders.events.v1', 'orders.events.v1.dlq']);
    expect(admin.created.map(({ topic }) => topic)).toEqual(['orders.events.v1', 'orders.events.v1.dlq']);
  });

  it('when creating fails with an error that is not retriable, then it fails', async () => {
    const admin = adminWith([]);
    admin.createTopics = async () => {
      throw new Error('not authorized');
    };

    await expect(declareTopics(admin, ['orders.events.v1'], { partitions: 3 })).rejects.toThrow(
      'not authorized',
    );
  });

  it('when topics are missing, then each is created with its retry topics, its DLQ and the partition count', async () => {
    const admin = adminWith([]);

    await declareTopics(admin, ['orders.events.v1'], { partitions: 3, maxAttempts: 3 });

    expect(admin.created).toEqual([
      { topic: 'orders.events.v1', numPartitions: 3, replicationFactor: 1 },
      { topic: 'orders.events.v1.retry.1', numPartitions: 3, replicationFactor: 1 },
      { topic: 'orders.events.v1.retry.2', numPartitions: 3, replicationFactor: 1 },
      { topic: 'orders.events.v1.dlq', numPartitions: 3, replicationFactor: 1 },
    ]);
  });

  it('when no maxAttempts is given, then there is one retry topic per retry of the default policy', async () => {
    const admin = adminWith([]);

    const created = await declareTopics(admin, ['users.events.v1'], { partitions: 3 });

    expect(created).toEqual([
      'users.events.v1',
      ...Array.from(
        { length: defaultRetryPolicy.maxAttempts - 1 },
        (_, index) => `users.events.v1.retry.${index + 1}`,
      ),
      'users.events.v1.dlq',
    ]);
  });

  it('when it runs again, then nothing is created', async () => {
    const admin = adminWith([]);
    await declareTopics(admin, ['orders.events.v1'], { partitions: 3 });

    const createdAgain = await declareTopics(admin, ['orders.events.v1'], { partitions: 3 });

    expect(createdAgain).toEqual([]);
    expect(admin.created).toHaveLength(2 + defaultRetryPolicy.maxAttempts - 1);
  });

  it('when only the DLQ and a retry topic are missing, then only those are created', async () => {
    const admin = adminWith(['users.events.v1', 'users.events.v1.retry.1']);

    expect(await declareTopics(admin, ['users.events.v1'], { partitions: 3, maxAttempts: 3 })).toEqual([
      'users.events.v1.retry.2',
      'users.events.v1.dlq',
    ]);
  });
});
