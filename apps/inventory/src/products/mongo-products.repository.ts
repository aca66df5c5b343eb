import type { Collection, Db, Filter } from 'mongodb';
import { MongoOutboxStore, type OutboxDocument, outboxFieldsOf } from '@platform/messaging';
import { isDuplicateKeyError } from '@platform/persistence';
import { DuplicateSkuError } from '../domain/errors';
import type { Product } from '../domain/product';
import type { ProductsRepository, StoredProduct } from './products.repository.port';

/** `_id` is the sku: a duplicate sku is a duplicate key, whoever inserts first. */
type ProductDocument = Omit<Product, 'sku'> & OutboxDocument & { _id: string };

export class MongoProductsRepository implements ProductsRepository {
  private readonly products: Collection<ProductDocument>;
  readonly outbox: MongoOutboxStore;

  constructor(db: Db, collectionName = 'products') {
    this.products = db.collection<ProductDocument>(collectionName);
    this.outbox = new MongoOutboxStore(db, collectionName);
  }

  async ensureIndexes(): Promise<void> {
    await this.outbox.ensureIndexes();
  }

  async insert(product: StoredProduct): Promise<void> {
    const { sku, outbox, ...rest } = product;
    try {
      await this.products.insertOne({ _id: sku, ...rest, ...outboxFieldsOf(outbox) });
    } catch (error) {
      if (isDuplicateKeyError(error)) throw new DuplicateSkuError(sku);
      throw error;
    }
    if (outbox.length > 0) this.outbox.written.notify({ aggregateId: sku, events: outbox });
  }

  async find(sku: string): Promise<Product | undefined> {
    const document = await this.products.findOne(
      { _id: sku },
      { projection: { outbox: 0, outboxPending: 0 } },
    );
    return document ? productOf(document) : undefined;
  }

  async page(afterSku: string | undefined, limit: number): Promise<Product[]> {
    const filter: Filter<ProductDocument> = afterSku === undefined ? {} : { _id: { $gt: afterSku } };
    const documents = await this.products
      .find(filter, { projection: { outbox: 0, outboxPending: 0 } })
      .sort({ _id: 1 })
      .limit(limit)
      .toArray();
    return documents.map(productOf);
  }
}

function productOf({ _id, name, priceCents, currency, initialStock, createdAt }: ProductDocument): Product {
  return { sku: _id, name, priceCents, currency, initialStock, createdAt };
}
