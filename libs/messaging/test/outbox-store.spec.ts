import { InMemoryOutboxStore } from '../src/outbox/in-memory-outbox-store';
import type { OutboxDocument } from '../src/outbox/outbox-event';
import { describeOutboxStoreContract } from './outbox-store.contract';

describeOutboxStoreContract('in memory', async () => {
  const store = new InMemoryOutboxStore();
  return {
    store,
    // One process shares one map: a second relay there is a second caller of the same store.
    anotherStore: () => store,
    saveAggregate: async (id, fields, outbox) => {
      store.documents.set(id, structuredClone({ ...fields, outbox }));
    },
    readAggregate: async (id) =>
      structuredClone(store.documents.get(id) as (Record<string, unknown> & OutboxDocument) | undefined),
    cleanup: async () => undefined,
  };
});
