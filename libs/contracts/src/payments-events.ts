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

/** The provider could not be reached or kept failing (breaker open, timeouts): PAYMENT_UNAVAILABLE. */
export const PaymentFailed = defineMessage({
  name: 'PaymentFailed',
  type: 'platform.payments.payment-failed.v1',
  topic: topics.paymentsEvents,
  keyField: 'orderId',
  schema: z.object({
    orderId: identifier,
    reason: z.enum(['PROVIDER_UNAVAILABLE', 'PROVIDER_TIMEOUT', 'PROVIDER_ERROR']),
    detail: detail.optional(),
  }),
});
export type PaymentFailed = PayloadOf<typeof PaymentFailed>;

export const PaymentRefunded = defineMessage({
  name: 'PaymentRefunded',
  type: 'platform.payments.payment-refunded.v1',
  topic: topics.paymentsEvents,
  keyField: 'orderId',
  schema: z.object({ orderId: identifier, paymentId: identifier, amountCents: cents, currency }),
});
export type PaymentRefunded = PayloadOf<typeof PaymentRefunded>;
