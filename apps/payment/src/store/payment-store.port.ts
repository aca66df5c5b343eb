import type { StoredOutboxEvent } from '@platform/messaging';
import type { Decision, NewPayment, Payment, Refund } from '../domain/payment';

export const PAYMENT_STORE = Symbol('PaymentStore');

/**
 * One payment per order. The in-memory and Cassandra adapters pass one contract suite
 * (test/contracts/payment-store.contract.ts).
 */
export interface PaymentStore {
  /** Creates what the store needs (tables) when missing. */
  ensureSchema(): Promise<void>;
  /**
   * The order's payment: `draft`, stored as PENDING, when no payment exists yet; otherwise the one
   * that does, whatever `draft` says. Of concurrent claims exactly one stores its draft.
   */
  claim(draft: NewPayment): Promise<Payment>;
  /**
   * Stores the decision if the payment is still PENDING. Returns the payment as stored afterwards:
   * the earlier decision when another delivery decided first. Throws when the order has no payment.
   */
  decide(orderId: string, decision: Decision): Promise<Payment>;
  /** AUTHORIZED → REFUNDED; returns the payment as stored afterwards, whatever its status was. */
  markRefunded(orderId: string, refund: Refund): Promise<Payment>;
  find(orderId: string): Promise<Payment | undefined>;
  /** Adds the event to the order's outbox, from which the relay publishes it. */
  emit(orderId: string, event: StoredOutboxEvent): Promise<void>;
}

export class PaymentNotFoundError extends Error {
  constructor(orderId: string) {
    super(`order ${orderId} has no payment`);
  }
}
