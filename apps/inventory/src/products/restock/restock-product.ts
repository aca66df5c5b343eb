import { randomUUID } from 'node:crypto';
import { ProductNotFoundError } from '../../domain/errors';
import { type ProductView, productViewOf } from '../../domain/product';
import type { EventOrigin } from '../../outbox/new-outbox-event';
import type { StockChanges } from '../../stock/stock-changes';

/** Adds stock to a product; each call is its own restock (a POST is not idempotent). */
export class RestockProduct {
  constructor(private readonly stock: StockChanges) {}

  async execute(sku: string, quantity: number, origin: EventOrigin): Promise<ProductView> {
    const result = await this.stock.apply(
      { sku, kind: 'restock', quantity, cause: `restock:${randomUUID()}` },
      origin,
    );
    if (result.kind === 'unknown-sku') throw new ProductNotFoundError(sku);
    const current = await this.stock.current(sku);
    if (!current) throw new ProductNotFoundError(sku);
    return productViewOf(current.product, result.kind === 'applied' ? result.level : current.level);
  }
}
