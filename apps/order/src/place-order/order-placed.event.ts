import { randomUUID } from 'node:crypto';
import { OrderPlaced } from '@platform/contracts';
import type { StoredOutboxEvent } from '@platform/messaging';
import type { PlacedOrder } from '../domain/order';

/** OrderPlaced, pending in the order's outbox; its payload is checked now rather than at publication. */
export function orderPlacedEvent(order: PlacedOrder, traceparent: string | null): StoredOutboxEvent {
  return {
    id: randomUUID(),
    type: OrderPlaced.name,
    occurredAt: order.createdAt,
    data: OrderPlaced.schema.parse({
      orderId: order.orderId,
      userId: order.userId,
      items: order.items,
      totalCents: order.totalCents,
      currency: order.currency,
    }),
    traceparent,
    tracestate: null,
    correlationId: order.orderId,
    state: 'pending',
    attempts: 0,
  };
}
