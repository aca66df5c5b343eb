import type { PlacedOrder } from '../domain/order';
import type { OrderSagaData } from '../domain/order-saga-data';

/** What the saga needs of a placed order. */
export function orderSagaDataOf(order: PlacedOrder): OrderSagaData {
  return {
    orderId: order.orderId,
    userId: order.userId,
    items: order.items.map(({ sku, quantity, unitPriceCents }) => ({ sku, quantity, unitPriceCents })),
    amountCents: order.totalCents,
    currency: order.currency,
    paymentMethod: order.paymentMethod,
  };
}
