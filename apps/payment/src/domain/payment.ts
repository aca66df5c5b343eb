import type { PaymentDeclined, PaymentFailed } from '@platform/contracts';

/**
 * PENDING: claimed, the provider's answer not known yet (it may still charge). VOIDED: a
 * RefundPayment came before any AuthorizePayment; the order is never charged. The others are decided.
 */
export type PaymentStatus = 'PENDING' | 'AUTHORIZED' | 'DECLINED' | 'FAILED' | 'REFUNDED' | 'VOIDED';

/** What the provider's answer to a charge means for the order. */
export type ChargeOutcome =
  | { status: 'AUTHORIZED'; chargeId: string }
  | { status: 'DECLINED'; reason: PaymentDeclined['reason']; detail: string | null }
  | { status: 'FAILED'; reason: PaymentFailed['reason']; detail: string | null };

/** The command a payment's events answer: its trace and saga go with the events, even late ones. */
export interface EventOrigin {
  traceparent: string | null;
  tracestate: string | null;
  correlationId: string | null;
}

/** The one payment of an order, as claimed by the first delivery of its AuthorizePayment. */
export interface Payment {
  paymentId: string;
  orderId: string;
  /** Null only for a VOIDED payment, which no AuthorizePayment ever described. */
  userId: string | null;
  amountCents: number;
  currency: string | null;
  paymentMethod: string | null;
  status: PaymentStatus;
  createdAt: Date;
  /** The provider's charge, once authorized. */
  chargeId: string | null;
  /** Why it was declined or failed. */
  reason: string | null;
  detail: string | null;
  refundId: string | null;
  /** A RefundPayment came: whatever this payment authorizes, now or once it is decided, is given back. */
  refundRequested: boolean;
  /** The AuthorizePayment (or, for a VOIDED payment, the RefundPayment) that created it. */
  origin: EventOrigin;
  /** The latest RefundPayment, whose PaymentRefunded may be sent long after it came. */
  refundOrigin: EventOrigin | null;
}

export type NewPayment = Pick<Payment, 'paymentId' | 'orderId' | 'amountCents' | 'createdAt' | 'origin'> & {
  userId: string;
  currency: string;
  paymentMethod: string;
};

/** What a RefundPayment leaves for an order that has no payment yet. */
export type VoidedPaymentDraft = Pick<Payment, 'paymentId' | 'orderId' | 'createdAt' | 'origin'>;

/** A decision stored on a PENDING payment. */
export type Decision = ChargeOutcome;

export interface Refund {
  /** Null when the provider had refunded the charge already and no longer told by which refund. */
  refundId: string | null;
}

export function pendingPayment(draft: NewPayment): Payment {
  return {
    ...draft,
    status: 'PENDING',
    chargeId: null,
    reason: null,
    detail: null,
    refundId: null,
    refundRequested: false,
    refundOrigin: null,
  };
}

/** The tombstone of an order refunded before it was authorized: a later AuthorizePayment finds it and charges nothing. */
export function voidedPayment(draft: VoidedPaymentDraft): Payment {
  return {
    ...draft,
    userId: null,
    amountCents: 0,
    currency: null,
    paymentMethod: null,
    status: 'VOIDED',
    chargeId: null,
    reason: 'VOIDED',
    detail: 'the order was refunded before its payment was authorized',
    refundId: null,
    refundRequested: true,
    refundOrigin: draft.origin,
  };
}

/** The payment after `decision`; callers apply it only to a PENDING payment. */
export function decided(payment: Payment, decision: Decision): Payment {
  return {
    ...payment,
    status: decision.status,
    chargeId: decision.status === 'AUTHORIZED' ? decision.chargeId : null,
    reason: decision.status === 'AUTHORIZED' ? null : decision.reason,
    detail: decision.status === 'AUTHORIZED' ? null : decision.detail,
  };
}

export function refunded(payment: Payment, refund: Refund): Payment {
  return { ...payment, status: 'REFUNDED', ...refund };
}

export function withRefundRequested(payment: Payment, origin: EventOrigin): Payment {
  return { ...payment, refundRequested: true, refundOrigin: origin };
}

/** The provider holds a charge of it that has not been given back. */
export function holdsCharge(payment: Payment): payment is Payment & { chargeId: string } {
  return payment.status === 'AUTHORIZED' && payment.chargeId !== null;
}
