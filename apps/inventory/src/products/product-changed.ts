import { ProductChanged } from '@platform/contracts';
import { newOutboxEvent, type StoredOutboxEvent } from '@platform/messaging';
import type { Product } from '../domain/product';
import type { EventOrigin } from '../outbox/event-origin';

/** ProductChanged with what is available now; its payload is checked here, so a bad one fails the change. */
export function productChangedEvent(
  product: Product,
  available: number,
  origin: EventOrigin,
  now: Date,
): StoredOutboxEvent {
  const { sku, name, priceCents, currency } = product;
  const data = ProductChanged.schema.parse({ sku, name, priceCents, currency, available });
  return newOutboxEvent(ProductChanged.name, data, { ...origin, now });
}
