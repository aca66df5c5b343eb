import { ProductNotFoundError } from '../../domain/errors';
import { type ProductView, productViewOf } from '../../domain/product';
import type { EventOrigin } from '../../outbox/event-origin';
import type { StockChanges } from '../../stock/stock-changes';

/** Adds stock to a product; each call is its own restock (a POST is not idempotent). */
export class RestockProduct {
  constructor(private readonly stock: StockChanges) {}

  async execute(sku: string, quantity: number, origin: EventOrigin): Promise<ProductView> {
    const result = await this.stock.restock(sku, quantity, origin);
    if (result.kind === 'unknown-sku') throw new ProductNotFoundError(sku);
    return productViewOf(result.product, result.level);
  }
}
