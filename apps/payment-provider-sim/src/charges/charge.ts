/** A charge as Stripe returns it (the fields a client of the simulator reads). */
export interface Charge {
  id: string;
  object: 'charge';
  amount: number;
  amount_refunded: number;
  currency: string;
  /** `failed` when the card was declined: Stripe keeps declined charges too. */
  status: 'succeeded' | 'failed';
  paid: boolean;
  captured: boolean;
  refunded: boolean;
  source: string;
  description: string | null;
  metadata: Record<string, string>;
  failure_code: string | null;
  failure_message: string | null;
  /** Unix seconds. */
  created: number;
}

export interface Refund {
  id: string;
  object: 'refund';
  amount: number;
  charge: string;
  currency: string;
  status: 'succeeded';
  metadata: Record<string, string>;
  created: number;
}
