import type { ChargeOutcome, Payment } from '../domain/payment';

export const PAYMENT_PROVIDER = Symbol('PaymentProvider');

/** The payment provider as the handlers see it (Stripe-like; the simulator in every profile). */
export interface PaymentProvider {
  /**
   * Charges the payment's method, with the payment id as the provider's idempotency key: however
   * often it is called for one payment, the provider charges at most once.
   */
  charge(payment: Payment): Promise<ChargeOutcome>;
  /** Refunds the payment's charge in full, idempotently; throws when the provider did not. */
  refund(payment: Payment & { chargeId: string }): Promise<{ refundId: string | null }>;
  close(): Promise<void>;
}

/** The provider did not refund; the command is tried again later. */
export class RefundNotDoneError extends Error {}
