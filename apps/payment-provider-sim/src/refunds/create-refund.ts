import type { ChargeLedger } from '../charges/charge-ledger';
import { StripeError } from '../http-edge/stripe-error';
import type { ApiReply } from '../idempotency/idempotent-requests';
import { type SimulatorRuntime, newId, unixSeconds } from '../runtime';
import type { CreateRefundRequest } from './create-refund.request';

/** Refunds a succeeded charge in full, once. */
export class CreateRefund {
  constructor(
    private readonly ledger: ChargeLedger,
    private readonly runtime: SimulatorRuntime,
  ) {}

  async execute(request: CreateRefundRequest): Promise<ApiReply> {
    const charge = this.ledger.charge(request.charge);
    if (!charge) throw StripeError.noSuch('charge', 'charge', request.charge);
    if (charge.refunded)
      throw StripeError.invalidRequest(
        400,
        'charge_already_refunded',
        'charge',
        `Charge ${charge.id} has already been refunded.`,
      );
    if (charge.status !== 'succeeded')
      throw StripeError.invalidRequest(
        400,
        'charge_not_refundable',
        'charge',
        `Charge ${charge.id} failed and has nothing to refund.`,
      );
    const refund = this.ledger.recordRefund({
      id: newId('re'),
      object: 'refund',
      amount: charge.amount,
      charge: charge.id,
      currency: charge.currency,
      status: 'succeeded',
      metadata: request.metadata ?? {},
      created: unixSeconds(this.runtime.clock()),
    });
    return { status: 201, body: refund };
  }
}
