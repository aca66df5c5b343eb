import type { Collection, Db } from 'mongodb';
import {
  MongoOutboxStore,
  type OutboxDocument,
  type StoredOutboxEvent,
  outboxFieldsOf,
  withOutboxAppended,
} from '@platform/messaging';
import { isDuplicateKeyError } from '@platform/persistence';
import type { StockLevel } from '../domain/stock-level';
import type { StockRepository, StoredStock } from './stock.repository.port';

/** `_id` is the sku; the counts, the holds and the version sit at the top, the ProductChanged events beside them. */
type StockDocument = StockLevel &
  OutboxDocument & {
    _id: string;
    version: number;
    holds: StoredStock['holds'];
  };

export class MongoStockRepository implements StockRepository {
  private readonly stock: Collection<StockDocument>;
  readonly outbox: MongoOutboxStore;

  constructor(db: Db, collectionName = 'stock') {
    this.stock = db.collection<StockDocument>(collectionName);
    this.outbox = new MongoOutboxStore(db, collectionName);
  }

  async ensureIndexes(): Promise<void> {
    // Stock is read and written by _id only.
    await this.outbox.ensureIndexes();
  }

  async find(sku: string): Promise<StoredStock | undefined> {
    const document = await this.stock.findOne({ _id: sku }, { projection: { outbox: 0, outboxPending: 0 } });
    if (!document) return undefined;
    const { _id, version, holds, available, reserved, sold, initial, restocked } = document;
    return { sku: _id, version, level: { available, reserved, sold, initial, restocked }, holds };
  }

  async save(stock: StoredStock, events: readonly StoredOutboxEvent[]): Promise<boolean> {
    const { sku, version, level, holds } = stock;
    const saved =
      version === 1
        ? await this.insert({ _id: sku, version, ...level, holds, ...outboxFieldsOf(events) })
        : (
            await this.stock.updateOne(
              { _id: sku, version: version - 1 },
              withOutboxAppended({ $set: { version, ...level, holds } }, events),
            )
          ).matchedCount === 1;
    if (saved && events.length > 0) this.outbox.written.notify({ aggregateId: sku, events });
    return saved;
  }

  /** The first change of a sku creates its document; a duplicate key means another writer's came first. */
  private async insert(document: StockDocument): Promise<boolean> {
    try {
      await this.stock.insertOne(document);
      return true;
    } catch (error) {
      if (isDuplicateKeyError(error)) return false;
      throw error;
    }
  }
}
