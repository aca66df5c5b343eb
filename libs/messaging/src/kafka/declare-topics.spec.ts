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
  it('when topics are missing, then each is created with its DLQ and the partition count', async () => {
    const admin = adminWith([]);

    await declareTopics(admin, ['orders.events.v1'], { partitions: 3 });

    expect(admin.created).toEqual([
      { topic: 'orders.events.v1', numPartitions: 3, replicationFactor: 1 },
      { topic: 'orders.events.v1.dlq', numPartitions: 3, replicationFactor: 1 },
    ]);
  });

  it('when it runs again, then nothing is created', async () => {
    const admin = adminWith([]);
    await declareTopics(admin, ['orders.events.v1'], { partitions: 3 });

    const createdAgain = await declareTopics(admin, ['orders.events.v1'], { partitions: 3 });

    expect(createdAgain).toEqual([]);
    expect(admin.created).toHaveLength(2);
  });

  it('when only the DLQ is missing, then only the DLQ is created', async () => {
    const admin = adminWith(['users.events.v1']);

    expect(await declareTopics(admin, ['users.events.v1'], { partitions: 3 })).toEqual([
      'users.events.v1.dlq',
    ]);
  });
});
