import { z } from 'zod';
import { defineMessage, type PayloadOf } from './message-definition';
import { cents, currency, identifier } from './payload-fields';
import { topics } from './topics';

export const AuthorizePayment = defineMessage({
  name: 'AuthorizePayment',
  type: 'platform.payments.authorize-payment.v1',
  topic: topics.paymentsCommands,
  keyField: 'orderId',
  schema: z.object({
    orderId: identifier,
    userId: identifier,
    amountCents: cents,
    currency,
    /** The provider's test token the customer chose (`tok_visa`), charged as Stripe's `source`. */
    paymentMethod: z.string().min(1).max(64),
  }),
});
export type AuthorizePayment = PayloadOf<typeof AuthorizePayment>;

/**
 * Undoes the order's charge. `paymentId` is absent when the saga timed out before it learnt the
 * outcome: the payment service then refunds whatever it authorized for the order, if anything.
 */
export const RefundPayment = defineMessage({
  name: 'RefundPayment',
  type: 'platform.payments.refund-payment.v1',
  topic: topics.paymentsCommands,
  keyField: 'orderId',
  schema: z.object({
    orderId: identifier,
    paymentId: identifier.optional(),
    reason: z.enum(['ORDER_CANCELLED', 'LATE_AUTHORIZATION', 'TIMEOUT']),
  }),
});
export type RefundPayment = PayloadOf<typeof RefundPayment>;
