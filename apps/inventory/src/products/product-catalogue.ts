import { type ProductView, productViewOf } from '../domain/product';
import type { StockChanges } from '../stock/stock-changes';
import type { ProductCache } from './product-cache.port';
import type { ProductsRepository } from './products.repository.port';

export interface ProductPage {
  items: ProductView[];
  /** The last sku of the page when more may follow. */
  lastSku: string | undefined;
}

/** Product reads, cache-aside: cached views first, the rest from the store, which then fill the cache. */
export class ProductCatalogue {
  constructor(
    private readonly products: ProductsRepository,
    private readonly stock: StockChanges,
    private readonly cache: ProductCache,
  ) {}

  async find(sku: string): Promise<ProductView | undefined> {
    const cached = (await this.cache.getMany([sku])).get(sku);
    if (cached) return cached;
    const current = await this.stock.current(sku);
    if (!current) return undefined;
    const view = productViewOf(current.product, current.level);
    await this.cache.setMany([view]);
    return view;
  }

  async page(afterSku: string | undefined, limit: number): Promise<ProductPage> {
    // One more than asked tells whether a next page exists.
    const products = await this.products.page(afterSku, limit + 1);
    const onPage = products.slice(0, limit);
    const cached = await this.cache.getMany(onPage.map((product) => product.sku));
    const loaded = await Promise.all(
      onPage
        .filter((product) => !cached.has(product.sku))
        .map(async (product) => {
          const { level } = await this.stock.currentOf(product);
          return productViewOf(product, level);
        }),
    );
    await this.cache.setMany(loaded);
    const fresh = new Map(loaded.map((view) => [view.sku, view]));
    const items = onPage.map((product) => cached.get(product.sku) ?? (fresh.get(product.sku) as ProductView));
    return { items, lastSku: products.length > limit ? onPage.at(-1)?.sku : undefined };
  }
}
