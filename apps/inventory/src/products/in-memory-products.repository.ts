import { InMemoryOutboxStore, type OutboxDocument } from '@platform/messaging';
import { DuplicateSkuError } from '../domain/errors';
import type { Product } from '../domain/product';
import type { ProductsRepository, StoredProduct } from './products.repository.port';

export class InMemoryProductsRepository implements ProductsRepository {
  private readonly products = new Map<string, OutboxDocument>();
  readonly outbox = new InMemoryOutboxStore(this.products);

  async ensureIndexes(): Promise<void> {
    // A map keyed by sku is its own unique index.
  }

  async insert(product: StoredProduct): Promise<void> {
    if (this.products.has(product.sku)) throw new DuplicateSkuError(product.sku);
    this.products.set(product.sku, structuredClone(product));
  }

  async find(sku: string): Promise<Product | undefined> {
    const stored = this.products.get(sku) as StoredProduct | undefined;
    return stored && productOf(stored);
  }

  async page(afterSku: string | undefined, limit: number): Promise<Product[]> {
    return [...this.products.values()]
      .map((stored) => productOf(stored as StoredProduct))
      .filter((product) => afterSku === undefined || product.sku > afterSku)
      .sort((a, b) => (a.sku < b.sku ? -1 : a.sku > b.sku ? 1 : 0))
      .slice(0, limit);
  }
}

function productOf({ sku, name, priceCents, currency, initialStock, createdAt }: StoredProduct): Product {
  return { sku, name, priceCents, currency, initialStock, createdAt: new Date(createdAt) };
}
