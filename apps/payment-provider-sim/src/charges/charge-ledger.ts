import type { Charge, Refund } from './charge';

/**
 * Every charge and refund the simulator made, in memory: a restart forgets them all, as befits a
 * simulator. Tests read it through `GET /v1/charges` to count real charges.
 */
export class ChargeLedger {
  private readonly charges = new Map<string, Charge>();
  private readonly refunds = new Map<string, Refund>();

  recordCharge(charge: Charge): Charge {
    this.charges.set(charge.id, charge);
    return charge;
  }

  charge(id: string): Charge | undefined {
    return this.charges.get(id);
  }

  /** Newest first, as Stripe lists; only those whose metadata holds every given pair. */
  listCharges(metadata: Record<string, string> = {}): Charge[] {
    const wanted = Object.entries(metadata);
    return [...this.charges.values()]
      .filter((charge) => wanted.every(([key, value]) => charge.metadata[key] === value))
      .reverse();
  }

  /** Records the refund and marks its charge refunded, in one synchronous step so two refunds cannot both pass. */
  recordRefund(refund: Refund): Refund {
    const charge = this.charges.get(refund.charge);
    if (charge) this.charges.set(charge.id, { ...charge, refunded: true, amount_refunded: refund.amount });
    this.refunds.set(refund.id, refund);
    return refund;
  }

  listRefunds(chargeId?: string): Refund[] {
    return [...this.refunds.values()]
      .filter((refund) => chargeId === undefined || refund.charge === chargeId)
      .reverse();
  }
}
