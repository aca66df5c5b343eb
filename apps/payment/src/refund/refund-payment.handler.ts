import { randomUUID } from 'node:crypto';
import type { RefundPayment } from '@platform/contracts';
import type { EventOrigin } from '../domain/payment';
import { unknownPaymentRefundEventOf } from '../domain/payment-events';
import type { PaymentSettlement } from '../settle/payment-settlement';
import type { PaymentStore } from '../store/payment-store.port';

/**
 * Gives back whatever the order's payment charged, and answers with PaymentRefunded once that is
 * known (the amount given back, 0 if nothing was charged):
 * - no payment yet: a VOIDED payment is left, so a later AuthorizePayment charges nothing;
 * - PENDING (the charge in doubt): the refund is recorded; whoever learns the outcome refunds then;
 * - AUTHORIZED: refunded now (the provider deduplicates by the refund's idempotency key), or by the
 *   reconciler if the provider does not answer;
 * - DECLINED, FAILED, REFUNDED, VOIDED: nothing (more) to give back.
 * The request is stored before anything is tried, so it survives a provider outage and a crash;
 * the command is acknowledged once it is stored.
 */
export class RefundPaymentHandler {
  constructor(
    private readonly store: PaymentStore,
    private readonly settlement: PaymentSettlement,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  async execute(command: RefundPayment, origin: EventOrigin): Promise<void> {
    const { orderId, paymentId } = command;
    const now = this.clock();
    const existing = await this.store.find(orderId);
    // A payment id the order's payment does not have: that payment never existed, so nothing of it to refund.
    if (existing && paymentId !== undefined && paymentId !== existing.paymentId) {
      await this.store.emit(orderId, unknownPaymentRefundEventOf(orderId, paymentId, origin, now));
      return;
    }
    const mark = await this.store.markUnsettled(orderId, now);
    const payment = await this.store.requestRefund(
      orderId,
      { paymentId: paymentId ?? randomUUID(), orderId, createdAt: now, origin },
      origin,
    );
    await this.settlement.finish(payment, mark, 'refund');
  }
}
