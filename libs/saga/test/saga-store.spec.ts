import { InMemorySagaStore, type SagaDocument } from '../src';
import { describeSagaStoreContract } from './saga-store.contract';

describeSagaStoreContract('in memory', async () => {
  const documents = new Map<string, SagaDocument>();
  const store = new InMemorySagaStore(documents);
  return {
    store,
    anotherStore: () => new InMemorySagaStore(documents),
    readDocument: async (id) => documents.get(id),
    cleanup: async () => undefined,
  };
});
