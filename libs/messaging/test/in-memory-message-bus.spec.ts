import { randomUUID } from 'node:crypto';
import { catalogWithTopicAliases, InMemoryMessageBus, deadLetterTopicOf } from '../src';
import { describeMessageBusContract } from './message-bus.contract';

describeMessageBusContract(
  'in memory',
  async () => {
    const topic = `test-${randomUUID()}.users.events.v1`;
    const bus = new InMemoryMessageBus({
      catalog: catalogWithTopicAliases({ [topic]: 'users.events.v1' }),
      retry: { maxAttempts: 3, baseDelayMs: 20, maxDelayMs: 100 },
    });
    return {
      bus,
      topic,
      publishRaw: async (record) => bus.publishRecord(topic, record),
      deadLetters: async () => bus.recordsOf(deadLetterTopicOf(topic)),
      maxAttempts: 3,
      close: async () => undefined,
    };
  },
  2000,
);
