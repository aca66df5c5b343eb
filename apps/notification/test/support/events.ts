import { randomUUID } from 'node:crypto';
import {
  OrderCancelled,
  OrderConfirmed,
  UserRegistered,
  type OrderCancellationReason,
} from '@platform/contracts';
import type { OutgoingMessage } from '@platform/messaging';

/** The envelope the order service publishes when an order is confirmed; `id` is its ce_id. */
export function anOrderConfirmed(
  userId: string,
  overrides: { orderId?: string; id?: string } = {},
): OutgoingMessage {
  const orderId = overrides.orderId ?? randomUUID();
  return {
    topic: OrderConfirmed.topic,
    type: OrderConfirmed.type,
    key: orderId,
    id: overrides.id ?? randomUUID(),
    source: 'order',
    data: { orderId, userId, paymentId: randomUUID(), totalCents: 2599, currency: 'EUR' },
  };
}

export function anOrderCancelled(
  userId: string,
  reason: OrderCancellationReason = 'PAYMENT_DECLINED',
  orderId: string = randomUUID(),
): OutgoingMessage {
  return {
    topic: OrderCancelled.topic,
    type: OrderCancelled.type,
    key: orderId,
    id: randomUUID(),
    source: 'order',
    data: { orderId, userId, reason },
  };
}

export function aUserRegistered(userId: string, name = 'Ada Lovelace'): OutgoingMessage {
  return {
    topic: UserRegistered.topic,
    type: UserRegistered.type,
    key: userId,
    id: randomUUID(),
    source: 'auth',
    data: { userId, email: `${userId}@example.test`, name },
  };
}
