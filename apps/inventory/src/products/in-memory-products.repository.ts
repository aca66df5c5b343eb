import { InMemoryOutboxStore, type OutboxDocument, outboxFieldsOf } from '@platform/messaging';
import { DuplicateSkuError } from '../domain/errors';
import type { Product } from '../domain/product';
import type { ProductsRepository, StoredProduct } from './products.repository.port';

type ProductDocument = Product & OutboxDocument;

export class InMemoryProductsRepository implements ProductsRepository {
  private readonly products = new Map<string, ProductDocument>();
  readonly outbox = new InMemoryOutboxStore(this.products);

  async ensureIndexes(): Promise<void> {
    // A map keyed by sku is its own unique index.
  }

  async insert(product: StoredProduct): Promise<void> {
    if (this.products.has(product.sku)) throw new DuplicateSkuError(product.sku);
    const { outbox, ...rest } = product;
    this.products.set(product.sku, structuredClone({ ...rest, ...outboxFieldsOf(outbox) }));
    if (outbox.length > 0) this.outbox.written.notify({ aggregateId: product.sku, events: outbox });
  }

  async find(sku: string): Promise<Product | undefined> {
    const stored = this.products.get(sku);
    return stored && productOf(stored);
  }

  async page(afterSku: string | undefined, limit: number): Promise<Product[]> {
    return [...this.products.values()]
      .map(productOf)
      .filter((product) => afterSku === undefined || product.sku > afterSku)
      .sort((a, b) => (a.sku < b.sku ? -1 : a.sku > b.sku ? 1 : 0))
      .slice(0, limit);
  }
}

function productOf({ sku, name, priceCents, currency, initialStock, createdAt }: ProductDocument): Product {
  return { sku, name, priceCents, currency, initialStock, createdAt: new Date(createdAt) };
}
