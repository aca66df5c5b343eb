import { z } from 'zod';
import { defineMessage, type PayloadOf } from './message-definition';
import { cents, currency, identifier, orderLine } from './payload-fields';
import { topics } from './topics';

/** Why an order ended CANCELLED (docs/events.md#statuses-and-failure-reasons). */
export const orderCancellationReason = z.enum([
  'OUT_OF_STOCK',
  'PAYMENT_DECLINED',
  'PAYMENT_UNAVAILABLE',
  'TIMEOUT',
]);
export type OrderCancellationReason = z.infer<typeof orderCancellationReason>;

export const OrderPlaced = defineMessage({
  name: 'OrderPlaced',
  type: 'platform.orders.order-placed.v1',
  topic: topics.ordersEvents,
  keyField: 'orderId',
  schema: z.object({
    orderId: identifier,
    userId: identifier,
    items: z.array(orderLine).min(1).max(100),
    totalCents: cents,
    currency,
  }),
});
export type OrderPlaced = PayloadOf<typeof OrderPlaced>;

export const OrderConfirmed = defineMessage({
  name: 'OrderConfirmed',
  type: 'platform.orders.order-confirmed.v1',
  topic: topics.ordersEvents,
  keyField: 'orderId',
  schema: z.object({
    orderId: identifier,
    userId: identifier,
    paymentId: identifier,
    totalCents: cents,
    currency,
  }),
});
export type OrderConfirmed = PayloadOf<typeof OrderConfirmed>;

export const OrderCancelled = defineMessage({
  name: 'OrderCancelled',
  type: 'platform.orders.order-cancelled.v1',
  topic: topics.ordersEvents,
  keyField: 'orderId',
  schema: z.object({ orderId: identifier, userId: identifier, reason: orderCancellationReason }),
});
export type OrderCancelled = PayloadOf<typeof OrderCancelled>;
