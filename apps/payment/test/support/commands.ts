import { randomUUID } from 'node:crypto';
import { AuthorizePayment, RefundPayment } from '@platform/contracts';
import type { OutgoingMessage } from '@platform/messaging';

/** The AuthorizePayment the order saga sends; `id` is its ce_id. */
export function anAuthorizePayment(
  overrides: { orderId?: string; userId?: string; paymentMethod?: string; amountCents?: number } = {},
): OutgoingMessage {
  const orderId = overrides.orderId ?? randomUUID();
  return {
    topic: AuthorizePayment.topic,
    type: AuthorizePayment.type,
    key: orderId,
    id: randomUUID(),
    source: 'order',
    correlationId: orderId,
    data: {
      orderId,
      userId: overrides.userId ?? randomUUID(),
      amountCents: overrides.amountCents ?? 2599,
      currency: 'EUR',
      paymentMethod: overrides.paymentMethod ?? 'tok_visa',
    },
  };
}

export function aRefundPayment(orderId: string, paymentId?: string): OutgoingMessage {
  return {
    topic: RefundPayment.topic,
    type: RefundPayment.type,
    key: orderId,
    id: randomUUID(),
    source: 'order',
    correlationId: orderId,
    data: { orderId, reason: 'ORDER_CANCELLED', ...(paymentId === undefined ? {} : { paymentId }) },
  };
}
