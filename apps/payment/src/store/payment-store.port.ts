import type { StoredOutboxEvent } from '@platform/messaging';
import type {
  Decision,
  EventOrigin,
  NewPayment,
  Payment,
  Refund,
  VoidedPaymentDraft,
} from '../domain/payment';

export const PAYMENT_STORE = Symbol('PaymentStore');

/**
 * An order whose payment may still owe something: a charge in doubt, a refund, an event. Each
 * writer of the mark gets a token of its own; only the holder of the current token removes it.
 */
export interface UnsettledMark {
  orderId: string;
  token: string;
  /** When the order was first marked; kept when a later writer takes the mark over. */
  since: Date;
}

/**
 * One payment per order, and the marks of unsettled ones. The in-memory and Cassandra adapters pass
 * one contract suite (test/contracts/payment-store.contract.ts). Every method returning a payment
 * returns it as stored afterwards, with whatever other writers changed.
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
   * Stores the decision if the payment is still PENDING; otherwise the earlier decision stays.
   * Throws when the order has no payment.
   */
  decide(orderId: string, decision: Decision): Promise<Payment>;
  /**
   * Records that the order's charge, if any, must be given back: on its payment, whatever its
   * status; or, when the order has none yet, as a VOIDED payment made of `voided`, so that a later
   * AuthorizePayment charges nothing.
   */
  requestRefund(orderId: string, voided: VoidedPaymentDraft, origin: EventOrigin): Promise<Payment>;
  /** AUTHORIZED → REFUNDED; any other status stays. */
  markRefunded(orderId: string, refund: Refund): Promise<Payment>;
  find(orderId: string): Promise<Payment | undefined>;
  /** Adds the event to the order's outbox, from which the relay publishes it. */
  emit(orderId: string, event: StoredOutboxEvent): Promise<void>;
  /** Marks the order unsettled (again), with a fresh token: an earlier holder can no longer remove the mark. */
  markUnsettled(orderId: string, now: Date): Promise<UnsettledMark>;
  /** Removes the mark if it is still this one; a mark taken over since stays. */
  markSettled(mark: UnsettledMark): Promise<void>;
  /** Marks made at or before `cutoff`, at most `limit`. */
  unsettledBefore(cutoff: Date, limit: number): Promise<UnsettledMark[]>;
}

export class PaymentNotFoundError extends Error {
  constructor(orderId: string) {
    super(`order ${orderId} has no payment`);
  }
}
