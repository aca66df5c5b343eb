import { ProductChanged } from '@platform/contracts';
import { type ProductView, productViewOf } from '../../domain/product';
import { initialStockLevel } from '../../domain/stock-level';
import { type EventOrigin, newOutboxEvent } from '../../outbox/new-outbox-event';
import type { ProductCache } from '../product-cache.port';
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
    const product = { ...request, createdAt: now };
    const view = productViewOf(product, initialStockLevel(request.initialStock));
    const { sku, initialStock, name, priceCents, currency } = request;
    await this.products.insert({
      sku,
      name,
      priceCents,
      currency,
      initialStock,
      createdAt: now,
      outbox: [newOutboxEvent(ProductChanged, view, origin, now)],
    });
    await this.cache.invalidate(sku);
    return view;
  }
}
