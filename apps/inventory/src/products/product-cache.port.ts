import type { ProductView } from '../domain/product';

export const PRODUCT_CACHE = Symbol('ProductCache');

/**
 * Cache-aside for product reads. Never fails: a cache that cannot answer behaves as a miss (reads go
 * to the store) and a failed write or invalidation is dropped, so a down cache costs speed only.
 */
export interface ProductCache {
  getMany(skus: readonly string[]): Promise<Map<string, ProductView>>;
  setMany(views: readonly ProductView[]): Promise<void>;
  invalidate(sku: string): Promise<void>;
}
