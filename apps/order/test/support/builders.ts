import { randomUUID } from 'node:crypto';
import { startSaga } from '@platform/saga';
import type { PlacedOrder } from '../../src/domain/order';
import type { NewOrder } from '../../src/orders/orders.repository.port';
import { orderSagaDefinition } from '../../src/saga/order-saga';
import { orderSagaDataOf } from '../../src/saga/order-saga-data-of';

const saga = orderSagaDefinition({ stockMs: 30_000, paymentMs: 8000, compensationMs: 10_000 });

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

/** Everything the insert of an order writes: the order, its key's record, its saga's start. */
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
    saga: startOf(order),
    ...overrides,
  };
}

/** The saga's first state (version 1) and messages, as SagaOrchestrator.begin makes them. */
export function startOf(order: PlacedOrder) {
  const { state, commands } = startSaga(
    saga,
    order.orderId,
    orderSagaDataOf(order),
    order.createdAt.getTime(),
  );
  return { state: { ...state, version: 1 }, commands };
}
