import {
  PaymentAuthorized,
  PaymentDeclined,
  PaymentFailed,
  PaymentRefunded,
  type MessageDefinition,
  type PayloadOf,
} from '@platform/contracts';
import type { StoredOutboxEvent } from '@platform/messaging';
import { eventIdOf } from './event-ids';
import type { EventOrigin, Payment } from './payment';

function eventOf<TDefinition extends MessageDefinition>(
  definition: TDefinition,
  id: string,
  data: PayloadOf<TDefinition>,
  origin: EventOrigin,
  now: Date,
): StoredOutboxEvent {
  return {
    id,
    type: definition.name,
    occurredAt: now,
    // Checked now, so a bad payload fails the handler rather than the relay.
    data: definition.schema.parse(data),
    ...origin,
    state: 'pending',
    attempts: 0,
  };
}

const withDetail = (detail: string | null) => (detail === null ? {} : { detail });

/**
 * The answer to the payment's AuthorizePayment, once decided: PaymentAuthorized (also for a payment
 * refunded since), PaymentDeclined or PaymentFailed (VOIDED for a payment refunded before it was
 * authorized). None while PENDING. Its id is the same at every emission.
 */
export function authorizationEventOf(payment: Payment, now: Date): StoredOutboxEvent | undefined {
  const { orderId, paymentId, origin } = payment;
  const id = eventIdOf(paymentId, 'authorization');
  switch (payment.status) {
    case 'PENDING':
      return undefined;
    case 'AUTHORIZED':
    case 'REFUNDED':
      // Only a VOIDED payment has no currency; an empty one would fail the schema here, loudly.
      return eventOf(
        PaymentAuthorized,
        id,
        { orderId, paymentId, amountCents: payment.amountCents, currency: payment.currency ?? '' },
        origin,
        now,
      );
    case 'DECLINED':
      return eventOf(
        PaymentDeclined,
        id,
        { orderId, reason: payment.reason as PaymentDeclined['reason'], ...withDetail(payment.detail) },
        origin,
        now,
      );
    case 'FAILED':
    case 'VOIDED':
      return eventOf(
        PaymentFailed,
        id,
        { orderId, reason: payment.reason as PaymentFailed['reason'], ...withDetail(payment.detail) },
        origin,
        now,
      );
  }
}

/**
 * The answer to the order's RefundPayment: what was given back, 0 when nothing had been charged.
 * Undefined while the refund cannot be answered yet (the charge is still in doubt, or not refunded).
 */
export function refundEventOf(payment: Payment, now: Date): StoredOutboxEvent | undefined {
  if (payment.status === 'PENDING' || payment.status === 'AUTHORIZED') return undefined;
  return eventOf(
    PaymentRefunded,
    eventIdOf(payment.paymentId, 'refund'),
    {
      orderId: payment.orderId,
      paymentId: payment.paymentId,
      amountCents: payment.status === 'REFUNDED' ? payment.amountCents : 0,
      ...(payment.currency === null ? {} : { currency: payment.currency }),
    },
    payment.refundOrigin ?? payment.origin,
    now,
  );
}

/** The answer to a RefundPayment naming a payment the order does not have: nothing was refunded. */
export function unknownPaymentRefundEventOf(
  orderId: string,
  paymentId: string,
  origin: EventOrigin,
  now: Date,
): StoredOutboxEvent {
  return eventOf(
    PaymentRefunded,
    eventIdOf(paymentId, 'refund'),
    { orderId, paymentId, amountCents: 0 },
    origin,
    now,
  );
}
