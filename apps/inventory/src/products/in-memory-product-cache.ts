import type { ProductView } from '../domain/product';
import type { ProductCache } from './product-cache.port';

/** The embedded profile's cache, with the same TTL and invalidation as the Redis one. */
export class InMemoryProductCache implements ProductCache {
  private readonly entries = new Map<string, { view: ProductView; expiresAt: number }>();

  constructor(
    private readonly ttlMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  async getMany(skus: readonly string[]): Promise<Map<string, ProductView>> {
    const found = new Map<string, ProductView>();
    for (const sku of skus) {
      const entry = this.entries.get(sku);
      if (entry && entry.expiresAt > this.now()) found.set(sku, structuredClone(entry.view));
      else this.entries.delete(sku);
    }
    return found;
  }

  async setMany(views: readonly ProductView[]): Promise<void> {
    for (const view of views)
      this.entries.set(view.sku, { view: structuredClone(view), expiresAt: this.now() + this.ttlMs });
  }

  async invalidate(sku: string): Promise<void> {
    this.entries.delete(sku);
  }
}
