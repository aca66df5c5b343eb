import { InMemoryInbox } from '../src/inbox/in-memory-inbox';
import { describeInboxContract } from './inbox.contract';

describeInboxContract('in memory', async (clock) => ({
  inbox: new InMemoryInbox({ clock, processingLeaseMs: 60_000 }),
  cleanup: async () => undefined,
}));
