import { randomUUID } from 'node:crypto';
import { Logger } from '@nestjs/common';
import type { AuthorizePayment } from '@platform/contracts';
import type { EventOrigin } from '../domain/payment';
import { authorizationEventOf } from '../domain/payment-events';
import type { PaymentSettlement } from '../settle/payment-settlement';
import type { PaymentStore } from '../store/payment-store.port';

/**
 * Charges an order at most once, however often its AuthorizePayment is delivered:
 * 1. the order is marked unsettled, then the first delivery claims its payment row (LWT) with a
 *    fresh payment id; every later delivery gets that same row;
 * 2. the claiming delivery calls the provider with the payment id as Idempotency-Key and stores the
 *    outcome once (LWT on the status). A call in doubt (timed out) leaves the payment PENDING with
 *    no answer: the reconciler learns the outcome later from the provider;
 * 3. a decided payment's outcome is emitted (again, with the same event id, for a redelivery) and
 *    the mark removed. A delivery that finds the payment PENDING under another delivery's claim
 *    leaves it to that delivery or to the reconciler: two calls at once could not both decide safely.
 * An order refunded before (VOIDED) is never charged: the answer is PaymentFailed(VOIDED).
 */
export class AuthorizePaymentHandler {
  private readonly logger = new Logger('payment.authorize');

  constructor(
    private readonly store: PaymentStore,
    private readonly settlement: PaymentSettlement,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  async execute(command: AuthorizePayment, origin: EventOrigin): Promise<void> {
    const now = this.clock();
    const mark = await this.store.markUnsettled(command.orderId, now);
    const draftId = randomUUID();
    let payment = await this.store.claim({
      paymentId: draftId,
      orderId: command.orderId,
      userId: command.userId,
      amountCents: command.amountCents,
      currency: command.currency,
      paymentMethod: command.paymentMethod,
      createdAt: now,
      origin,
    });
    if (payment.status === 'PENDING') {
      if (payment.paymentId !== draftId) {
        this.logger.log(`order ${command.orderId}: payment ${payment.paymentId} is being decided elsewhere`);
        return;
      }
      payment = await this.settlement.charge(payment, 'first');
    }
    // The answer of a voided payment is this command's alone (see PaymentSettlement.finish).
    const voided = payment.status === 'VOIDED' ? authorizationEventOf(payment, this.clock()) : undefined;
    if (voided) await this.store.emit(payment.orderId, voided);
    await this.settlement.finish(payment, mark);
  }
}
