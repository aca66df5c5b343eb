import { ensureLedger, type LedgerAdmin } from './ledger.ts';

/** An admin whose first calls fail as a broker does while a new topic's leader is not known yet. */
function settlingAdmin(failures: { create: number; offsets: number }) {
  const topics = new Set<string>();
  const calls = { create: 0, offsets: 0 };
  const notHosted = () =>
    Object.assign(new Error('This server does not host this topic-partition'), { retriable: true });
  const admin: LedgerAdmin = {
    listTopics: async () => [...topics],
    createTopics: async ({ topics: created }) => {
      calls.create += 1;
      for (const { topic } of created) topics.add(topic);
      if (calls.create <= failures.create) throw notHosted();
      return true;
    },
    fetchTopicOffsets: async () => {
      calls.offsets += 1;
      if (calls.offsets <= failures.offsets) throw notHosted();
      return [{ partition: 0, offset: '0', high: '0', low: '0' }];
    },
  };
  return { admin, calls, topics };
}

describe('ensureLedger', () => {
  it("when the new ledger topic's leader is not known at first, then it waits for it rather than failing the replay", async () => {
    const { admin, calls, topics } = settlingAdmin({ create: 1, offsets: 2 });

    await expect(ensureLedger(admin, 'users.events.v1.dlq', 1)).resolves.toBe('users.events.v1.dlq.replayed');

    expect([...topics]).toEqual(['users.events.v1.dlq.replayed']);
    expect(calls).toEqual({ create: 1, offsets: 3 });
  });

  it("when the broker refuses for a reason that is not retriable, then the error is the operator's at once", async () => {
    const admin: LedgerAdmin = {
      listTopics: async () => [],
      createTopics: async () => {
        throw new Error('Topic authorization failed');
      },
      fetchTopicOffsets: async () => [],
    };

    await expect(ensureLedger(admin, 'users.events.v1.dlq', 1)).rejects.toThrow('Topic authorization failed');
  });
});
