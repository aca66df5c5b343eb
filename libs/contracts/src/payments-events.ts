import { z } from 'zod';
import { defineMessage, type PayloadOf } from './message-definition';
import { cents, currency, detail, identifier } from './payload-fields';
import { topics } from './topics';

export const PaymentAuthorized = defineMessage({
  name: 'PaymentAuthorized',
  type: 'platform.payments.payment-authorized.v1',
  topic: topics.paymentsEvents,
  keyField: 'orderId',
  schema: z.object({ orderId: identifier, paymentId: identifier, amountCents: cents, currency }),
});
export type PaymentAuthorized = PayloadOf<typeof PaymentAuthorized>;

/** The provider refused the charge (a business outcome): the saga cancels with PAYMENT_DECLINED. */
export const PaymentDeclined = defineMessage({
  name: 'PaymentDeclined',
  type: 'platform.payments.payment-declined.v1',
  topic: topics.paymentsEvents,
  keyField: 'orderId',
  schema: z.object({
    orderId: identifier,
    reason: z.enum(['INSUFFICIENT_FUNDS', 'CARD_DECLINED', 'FRAUD_SUSPECTED']),
    detail: detail.optional(),
  }),
});
export type PaymentDeclined = PayloadOf<typeof PaymentDeclined>;

/**
 * Nothing was charged and nothing will be: the provider could not be reached or kept failing
 * (breaker open, outage), and the saga cancels with PAYMENT_UNAVAILABLE. VOIDED answers an
 * AuthorizePayment that came after the order's RefundPayment: the payment was voided unattempted.
 */
export const PaymentFailed = defineMessage({
  name: 'PaymentFailed',
  type: 'platform.payments.payment-failed.v1',
  topic: topics.paymentsEvents,
  keyField: 'orderId',
  schema: z.object({
    orderId: identifier,
    reason: z.enum(['PROVIDER_UNAVAILABLE', 'PROVIDER_TIMEOUT', 'PROVIDER_ERROR', 'VOIDED']),
    detail: detail.optional(),
  }),
});
export type PaymentFailed = PayloadOf<typeof PaymentFailed>;

/**
 * Answers every RefundPayment once its outcome is known: `amountCents` is what was given back, 0
 * when nothing had been charged (declined, failed, or voided before any AuthorizePayment came).
 * `currency` is absent only when the order never had a payment to take it from.
 */
export const PaymentRefunded = defineMessage({
  name: 'PaymentRefunded',
  type: 'platform.payments.payment-refunded.v1',
  topic: topics.paymentsEvents,
  keyField: 'orderId',
  schema: z.object({
    orderId: identifier,
    paymentId: identifier,
    amountCents: cents,
    currency: currency.optional(),
  }),
});
export type PaymentRefunded = PayloadOf<typeof PaymentRefunded>;
