import type { Admin } from 'kafkajs';
import { countMessages } from './kafka-client.ts';

describe('countMessages', () => {
  it('when a just-created topic has no known leader yet, then it asks again rather than failing the listing', async () => {
    let calls = 0;
    const admin = {
      fetchTopicOffsets: async () => {
        calls += 1;
        if (calls <= 2)
          throw Object.assign(new Error('This server does not host this topic-partition'), {
            retriable: true,
          });
        return [
          { partition: 0, offset: '5', high: '5', low: '2' },
          { partition: 1, offset: '1', high: '1', low: '0' },
        ];
      },
    } as unknown as Admin;

    await expect(countMessages(admin, 'users.events.v1.dlq')).resolves.toBe(4);
    expect(calls).toBe(3);
  });
});
