import { z } from 'zod';
import { defineMessage, type PayloadOf } from './message-definition';
import { cents, currency, detail, identifier, quantity, sku, stockLine } from './payload-fields';
import { topics } from './topics';

export const StockReserved = defineMessage({
  name: 'StockReserved',
  type: 'platform.inventory.stock-reserved.v1',
  topic: topics.inventoryEvents,
  keyField: 'orderId',
  schema: z.object({ orderId: identifier, items: z.array(stockLine).min(1).max(100) }),
});
export type StockReserved = PayloadOf<typeof StockReserved>;

export const StockRejected = defineMessage({
  name: 'StockRejected',
  type: 'platform.inventory.stock-rejected.v1',
  topic: topics.inventoryEvents,
  keyField: 'orderId',
  schema: z.object({
    orderId: identifier,
    reason: z.enum(['OUT_OF_STOCK', 'UNKNOWN_SKU']),
    /** The lines that could not be reserved, with what was available at the time. */
    unavailable: z
      .array(z.object({ sku, requested: quantity, available: z.number().int().nonnegative() }))
      .max(100),
    detail: detail.optional(),
  }),
});
export type StockRejected = PayloadOf<typeof StockRejected>;

export const StockCommitted = defineMessage({
  name: 'StockCommitted',
  type: 'platform.inventory.stock-committed.v1',
  topic: topics.inventoryEvents,
  keyField: 'orderId',
  schema: z.object({ orderId: identifier }),
});
export type StockCommitted = PayloadOf<typeof StockCommitted>;

export const StockReleased = defineMessage({
  name: 'StockReleased',
  type: 'platform.inventory.stock-released.v1',
  topic: topics.inventoryEvents,
  keyField: 'orderId',
  schema: z.object({ orderId: identifier }),
});
export type StockReleased = PayloadOf<typeof StockReleased>;

/** A product's catalogue data or availability changed; keyed by sku so one product's changes stay in order. */
export const ProductChanged = defineMessage({
  name: 'ProductChanged',
  type: 'platform.inventory.product-changed.v1',
  topic: topics.inventoryEvents,
  keyField: 'sku',
  schema: z.object({
    sku,
    name: z.string().min(1).max(200),
    priceCents: cents,
    currency,
    available: z.number().int().nonnegative(),
  }),
});
export type ProductChanged = PayloadOf<typeof ProductChanged>;
