import type { OutboxStore, StoredOutboxEvent } from '@platform/messaging';
import type { Product } from '../domain/product';

/** A product as stored: its ProductChanged for the creation is written in the same insert. */
export interface StoredProduct extends Product {
  outbox: StoredOutboxEvent[];
}

export const PRODUCTS_REPOSITORY = Symbol('ProductsRepository');

export interface ProductsRepository {
  ensureIndexes(): Promise<void>;
  /** @throws DuplicateSkuError when the sku exists (the unique key decides, also under concurrency) */
  insert(product: StoredProduct): Promise<void>;
  find(sku: string): Promise<Product | undefined>;
  /** Up to `limit` products in sku order, after `afterSku` when given. */
  page(afterSku: string | undefined, limit: number): Promise<Product[]>;
  readonly outbox: OutboxStore;
}
