import { randomUUID } from 'node:crypto';
import type { AuthorizePayment as AuthorizePaymentCommand } from '@platform/contracts';
import { type EventOrigin, outcomeEventOf } from '../domain/payment-events';
import type { PaymentProvider } from '../provider/payment-provider';
import type { PaymentStore } from '../store/payment-store.port';

/**
 * Charges an order at most once, however often its AuthorizePayment is delivered:
 * 1. the first delivery claims the order's payment row (LWT) with a fresh payment id; every later
 *    one gets that same row;
 * 2. while it is PENDING, the provider is called with the payment id as Idempotency-Key, so a
 *    delivery that repeats the call (the first crashed before storing the answer) charges nothing new;
 * 3. the outcome is stored once (LWT on the status) and its event emitted; a delivery for a decided
 *    payment emits the stored outcome again, without calling the provider.
 */
export class AuthorizePaymentHandler {
  constructor(
    private readonly store: PaymentStore,
    private readonly provider: PaymentProvider,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  async execute(command: AuthorizePaymentCommand, origin: EventOrigin): Promise<void> {
    let payment = await this.store.claim({
      paymentId: randomUUID(),
      orderId: command.orderId,
      userId: command.userId,
      amountCents: command.amountCents,
      currency: command.currency,
      paymentMethod: command.paymentMethod,
      createdAt: this.clock(),
    });
    if (payment.status === 'PENDING') {
      const outcome = await this.provider.charge(payment);
      payment = await this.store.decide(payment.orderId, outcome);
    }
    const event = outcomeEventOf(payment, origin, this.clock());
    if (event) await this.store.emit(payment.orderId, event);
  }
}
