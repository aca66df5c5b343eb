import type { Payment } from '../domain/payment';
import type { ChargeAttempt } from './charge-outcome';

export type ChargeablePayment = Payment & { userId: string; currency: string; paymentMethod: string };

/** The payment provider as the service sees it (Stripe-like; the simulator in every profile). */
export interface PaymentProvider {
  /**
   * Charges the payment's method with the payment id as the provider's Idempotency-Key: however
   * often it is called for one payment, the provider charges at most once, and a repeated call
   * gets the first call's answer (waiting for it if that call is still running).
   */
  charge(payment: ChargeablePayment): Promise<ChargeAttempt>;
  /**
   * Refunds the payment's charge in full, idempotently (its key is derived from the payment and charge ids).
   * Throws RefundNotDoneError, or the resilient client's errors, when the provider did not refund.
   */
  refund(payment: Payment & { chargeId: string }): Promise<{ refundId: string | null }>;
  close(): Promise<void>;
}

/** The provider did not refund; the refund stays requested and is tried again. */
export class RefundNotDoneError extends Error {}
