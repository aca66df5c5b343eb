import { randomUUID } from 'node:crypto';
import type { PlacedOrder } from '../../src/domain/order';
import type { NewOrder } from '../../src/orders/orders.repository.port';

export function aPlacedOrder(overrides: Partial<PlacedOrder> = {}): PlacedOrder {
  return {
    orderId: randomUUID(),
    userId: 'alice',
    items: [{ sku: 'TEA-GREEN', quantity: 2, unitPriceCents: 650 }],
    totalCents: 1300,
    currency: 'EUR',
    paymentMethod: 'tok_visa',
    createdAt: new Date('2026-05-01T10:00:00.000Z'),
    ...overrides,
  };
}

/** Everything the insert of an order writes: the order, its key's record, no events unless given. */
export function aNewOrder(order: PlacedOrder = aPlacedOrder(), overrides: Partial<NewOrder> = {}): NewOrder {
  return {
    order,
    idempotency: {
      scope: { userId: order.userId, key: `key-${order.orderId}` },
      record: {
        fingerprint: `fingerprint-${order.orderId}`,
        response: {
          status: 202,
          body: { orderId: order.orderId },
          headers: { Location: `/api/orders/${order.orderId}` },
        },
      },
    },
    traceparent: null,
    ...overrides,
  };
}
