import { Logger } from '@nestjs/common';
import type { RefundPayment as RefundPaymentCommand } from '@platform/contracts';
import { type EventOrigin, refundEventOf } from '../domain/payment-events';
import type { PaymentProvider } from '../provider/payment-provider';
import type { PaymentStore } from '../store/payment-store.port';

/** The order's authorization is still being decided; the bus delivers the refund again later. */
export class AuthorizationInProgressError extends Error {
  constructor(orderId: string) {
    super(`the payment of order ${orderId} is still being authorized; the refund waits for its outcome`);
  }
}

/**
 * Refunds whatever the order's payment authorized. Without an authorized charge (no payment, or
 * declined, failed, or another payment id than the command names) there is nothing to undo: the
 * command is acknowledged and no event emitted. A redelivery after the refund emits the stored
 * PaymentRefunded again.
 */
export class RefundPaymentHandler {
  private readonly logger = new Logger('payment.refund');

  constructor(
    private readonly store: PaymentStore,
    private readonly provider: PaymentProvider,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  async execute(command: RefundPaymentCommand, origin: EventOrigin): Promise<void> {
    let payment = await this.store.find(command.orderId);
    if (payment?.status === 'PENDING') throw new AuthorizationInProgressError(command.orderId);
    if (!payment || (command.paymentId !== undefined && command.paymentId !== payment.paymentId)) {
      this.logger.log(`order ${command.orderId}: nothing to refund (no such payment)`);
      return;
    }
    if (payment.status === 'AUTHORIZED' && payment.chargeId !== null) {
      const { refundId } = await this.provider.refund({ ...payment, chargeId: payment.chargeId });
      payment = await this.store.markRefunded(payment.orderId, { refundId });
    }
    const event = refundEventOf(payment, origin, this.clock());
    if (event) await this.store.emit(payment.orderId, event);
    else this.logger.log(`order ${command.orderId}: nothing to refund (payment ${payment.status})`);
  }
}
