import {
  InMemoryOutboxStore,
  type OutboxDocument,
  type StoredOutboxEvent,
  outboxFieldsOf,
} from '@platform/messaging';
import type { StockRepository, StoredStock } from './stock.repository.port';

type StockDocument = StoredStock & OutboxDocument;

/** The embedded profile's stock: each save checks the version and writes without an await between, so it is atomic. */
export class InMemoryStockRepository implements StockRepository {
  private readonly documents = new Map<string, StockDocument>();
  readonly outbox = new InMemoryOutboxStore(this.documents);

  async ensureIndexes(): Promise<void> {
    // A map keyed by sku is its own index.
  }

  async find(sku: string): Promise<StoredStock | undefined> {
    const document = this.documents.get(sku);
    if (!document) return undefined;
    const { version, level, holds } = structuredClone(document);
    return { sku, version, level, holds };
  }

  async save(stock: StoredStock, events: readonly StoredOutboxEvent[]): Promise<boolean> {
    // The outbox store replaces documents when it removes a published event: always read the map afresh.
    const stored = this.documents.get(stock.sku);
    if ((stored?.version ?? 0) !== stock.version - 1) return false;
    this.documents.set(
      stock.sku,
      structuredClone({ ...stock, ...outboxFieldsOf([...(stored?.outbox ?? []), ...events]) }),
    );
    if (events.length > 0) this.outbox.written.notify({ aggregateId: stock.sku, events });
    return true;
  }
}
