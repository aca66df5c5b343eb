import { InMemoryOutboxStore } from '../src/outbox/in-memory-outbox-store';
import type { OutboxDocument } from '../src/outbox/outbox-event';
import { outboxFieldsOf } from '../src/outbox/outbox-fields';
import {
  describeOutboxMarkerContract,
  describeOutboxStoreContract,
  type OutboxStoreSubject,
} from './outbox-store.contract';

async function inMemorySubject(): Promise<OutboxStoreSubject> {
  const store = new InMemoryOutboxStore();
  return {
    store,
    // One process shares one map: a second relay there is a second caller of the same store.
    anotherStore: () => store,
    saveAggregate: async (id, fields, outbox) => {
      store.documents.set(id, structuredClone({ ...fields, ...outboxFieldsOf(outbox) }));
    },
    appendEvents: async (id, events) => {
      const document = store.documents.get(id) ?? {};
      store.documents.set(id, { ...document, ...outboxFieldsOf([...(document.outbox ?? []), ...events]) });
    },
    readAggregate: async (id) =>
      structuredClone(store.documents.get(id) as (Record<string, unknown> & OutboxDocument) | undefined),
    cleanup: async () => undefined,
  };
}

describeOutboxStoreContract('in memory', inMemorySubject);
describeOutboxMarkerContract('in memory', inMemorySubject);
