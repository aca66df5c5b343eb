import { Logger } from '@nestjs/common';
import { ResilienceError, isConnectionError } from '@platform/resilience';
import { type Payment, holdsCharge } from '../domain/payment';
import { authorizationEventOf, refundEventOf } from '../domain/payment-events';
import {
  type ChargeablePayment,
  type PaymentProvider,
  RefundNotDoneError,
} from '../provider/payment-provider';
import type { PaymentStore, UnsettledMark } from '../store/payment-store.port';

/**
 * Who calls the provider. `first`: the delivery that claimed the payment; nothing before it can
 * have charged, so a call that certainly charged nothing decides FAILED at once. `again`: an
 * earlier call may have charged (it timed out, or its process died); only the provider's own
 * answer to the same key decides, and anything less leaves the payment PENDING.
 */
export type ChargeCall = 'first' | 'again';

/**
 * Which answers `finish` sends: `all` (the authorization's outcome, and the refund's if one was
 * asked), or `refund` only, for a RefundPayment: the saga that sends one no longer waits for the
 * authorization, whose own command (redelivered after a crash) or the reconciler answers it.
 */
export type Answers = 'all' | 'refund';

/** A refund the provider did not make; the mark stays and the reconciler tries again. */
const isProviderFailure = (error: unknown) =>
  error instanceof RefundNotDoneError || error instanceof ResilienceError || isConnectionError(error);

/**
 * The steps that bring a payment from claimed to settled, shared by the command handlers and the
 * reconciler so that each step is done the same way whoever gets to it first. Every step is safe
 * to repeat: the provider deduplicates by idempotency key, the store decides once, and events carry
 * the same id at every emission.
 */
export class PaymentSettlement {
  private readonly logger = new Logger('payment.settlement');

  constructor(
    private readonly store: PaymentStore,
    private readonly provider: PaymentProvider,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  /** Charges a PENDING payment; returns it as stored afterwards, still PENDING while in doubt. */
  async charge(payment: Payment, call: ChargeCall): Promise<Payment> {
    const attempt = await this.provider.charge(chargeable(payment));
    if (attempt.kind === 'in-doubt' || (attempt.kind === 'not-charged' && call === 'again')) {
      const why = attempt.kind === 'in-doubt' ? attempt.detail : attempt.outcome.detail;
      this.logger.log(`order ${payment.orderId}: payment ${payment.paymentId} stays PENDING (${why})`);
      return payment;
    }
    const stored = await this.store.decide(payment.orderId, attempt.outcome);
    if (attempt.outcome.status === 'AUTHORIZED' && stored.chargeId !== attempt.outcome.chargeId)
      await this.refundDeniedCharge(stored, attempt.outcome.chargeId);
    return stored;
  }

  /**
   * Does what a decided payment still owes: the refund asked for, then the answers (see Answers),
   * then removes the mark.
   * Returns false, the mark kept, while the payment is PENDING or the refund not done.
   */
  async finish(payment: Payment, mark: UnsettledMark, answers: Answers = 'all'): Promise<boolean> {
    if (payment.status === 'PENDING') return false;
    let settled = payment;
    if (settled.refundRequested && holdsCharge(settled)) {
      const refunded = await this.refund(settled);
      if (!refunded) return false;
      settled = refunded;
    }
    const now = this.clock();
    // A VOIDED payment's PaymentFailed answers an AuthorizePayment, which sends it itself.
    const authorization =
      answers === 'refund' || settled.status === 'VOIDED' ? undefined : authorizationEventOf(settled, now);
    if (authorization) await this.store.emit(settled.orderId, authorization);
    const refund = settled.refundRequested ? refundEventOf(settled, now) : undefined;
    if (refund) await this.store.emit(settled.orderId, refund);
    await this.store.markSettled(mark);
    return true;
  }

  private async refund(payment: Payment & { chargeId: string }): Promise<Payment | undefined> {
    try {
      return await this.store.markRefunded(payment.orderId, await this.provider.refund(payment));
    } catch (error) {
      if (!isProviderFailure(error)) throw error;
      this.logger.warn(
        `order ${payment.orderId}: the refund of ${payment.chargeId} is not done yet: ${String(error)}`,
      );
      return undefined;
    }
  }

  /**
   * The provider charged on this call, but the stored decision says otherwise: another call
   * decided first (possible only if a first call outlived its budget). The charge is given back.
   */
  private async refundDeniedCharge(stored: Payment, chargeId: string): Promise<void> {
    this.logger.error(
      `order ${stored.orderId}: charge ${chargeId} landed after payment ${stored.paymentId} was decided ${stored.status}; refunding it`,
    );
    try {
      await this.provider.refund({ ...stored, chargeId });
    } catch (error) {
      this.logger.error(
        `order ${stored.orderId}: charge ${chargeId} could not be refunded: ${String(error)}`,
      );
    }
  }
}

function chargeable(payment: Payment): ChargeablePayment {
  const { userId, currency, paymentMethod } = payment;
  if (userId === null || currency === null || paymentMethod === null)
    throw new Error(`payment ${payment.paymentId} has nothing to charge`);
  return { ...payment, userId, currency, paymentMethod };
}
