import type { PaymentDeclined, PaymentFailed } from '@platform/contracts';

/** PENDING: claimed, the provider's answer not stored yet. The others are decided. */
export type PaymentStatus = 'PENDING' | 'AUTHORIZED' | 'DECLINED' | 'FAILED' | 'REFUNDED';

/** What the provider's answer to a charge means for the order. */
export type ChargeOutcome =
  | { status: 'AUTHORIZED'; chargeId: string }
  | { status: 'DECLINED'; reason: PaymentDeclined['reason']; detail: string | null }
  | { status: 'FAILED'; reason: PaymentFailed['reason']; detail: string | null };

/** The one payment of an order, as claimed by the first delivery of its AuthorizePayment. */
export interface Payment {
  paymentId: string;
  orderId: string;
  userId: string;
  amountCents: number;
  currency: string;
  paymentMethod: string;
  status: PaymentStatus;
  createdAt: Date;
  /** The provider's charge, once authorized. */
  chargeId: string | null;
  /** Why it was declined or failed. */
  reason: string | null;
  detail: string | null;
  refundId: string | null;
}

export type NewPayment = Pick<
  Payment,
  'paymentId' | 'orderId' | 'userId' | 'amountCents' | 'currency' | 'paymentMethod' | 'createdAt'
>;

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
