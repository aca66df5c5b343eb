import { type Product, type ProductView, productViewOf } from '../../domain/product';
import { initialStockLevel } from '../../domain/stock-level';
import type { EventOrigin } from '../../outbox/event-origin';
import type { ProductCache } from '../product-cache.port';
import { productChangedEvent } from '../product-changed';
import type { ProductsRepository } from '../products.repository.port';
import type { CreateProductRequest } from './create-product.request';

/** Adds a product with its initial stock and its ProductChanged in one insert; a taken sku throws DuplicateSkuError. */
export class CreateProduct {
  constructor(
    private readonly products: ProductsRepository,
    private readonly cache: ProductCache,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  async execute(request: CreateProductRequest, origin: EventOrigin): Promise<ProductView> {
    const now = this.clock();
    const { sku, name, priceCents, currency, initialStock } = request;
    const product: Product = { sku, name, priceCents, currency, initialStock, createdAt: now };
    await this.products.insert({
      ...product,
      outbox: [productChangedEvent(product, initialStock, origin, now)],
    });
    await this.cache.invalidate(sku);
    return productViewOf(product, initialStockLevel(initialStock));
  }
}
