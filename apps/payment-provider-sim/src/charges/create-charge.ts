import type { SimulatorRuntime } from '../runtime';
import { newId, unixSeconds } from '../runtime';
import type { ApiReply } from '../idempotency/idempotent-requests';
import { StripeError } from '../http-edge/stripe-error';
import type { Charge } from './charge';
import type { ChargeLedger } from './charge-ledger';
import type { CreateChargeRequest } from './create-charge.request';
import { testTokens } from './test-tokens';

/**
 * Charges a test token. The charge is recorded when it is decided, whatever became of the request:
 * a `tok_slow` charge lands after its delay even if the caller gave up long before.
 */
export class CreateCharge {
  constructor(
    private readonly ledger: ChargeLedger,
    private readonly runtime: SimulatorRuntime,
    private readonly slowTokenDelayMs: number,
  ) {}

  async execute(request: CreateChargeRequest): Promise<ApiReply> {
    const token = testTokens.get(request.source);
    if (!token) throw StripeError.noSuch('token', 'source', request.source);
    if (token.slow) await this.runtime.sleep(this.slowTokenDelayMs);
    const charge = this.ledger.recordCharge(this.chargeOf(request, token.approves));
    if (!token.approves)
      throw new StripeError(402, {
        type: 'card_error',
        code: 'card_declined',
        decline_code: 'generic_decline',
        message: 'Your card was declined.',
        charge: charge.id,
      });
    return { status: 201, body: charge };
  }

  private chargeOf(request: CreateChargeRequest, approved: boolean): Charge {
    return {
      id: newId('ch'),
      object: 'charge',
      amount: request.amount,
      amount_refunded: 0,
      currency: request.currency,
      status: approved ? 'succeeded' : 'failed',
      paid: approved,
      captured: approved,
      refunded: false,
      source: request.source,
      description: request.description ?? null,
      metadata: request.metadata ?? {},
      failure_code: approved ? null : 'card_declined',
      failure_message: approved ? null : 'Your card was declined.',
      created: unixSeconds(this.runtime.clock()),
    };
  }
}
