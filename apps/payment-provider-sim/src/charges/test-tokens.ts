/** What a Stripe-style test token does when charged. */
export interface TokenBehaviour {
  approves: boolean;
  /** Decides only after the configured slow delay, beyond the payment service's timeout. */
  slow: boolean;
}

export const testTokens: ReadonlyMap<string, TokenBehaviour> = new Map([
  ['tok_visa', { approves: true, slow: false }],
  ['tok_chargeDeclined', { approves: false, slow: false }],
  ['tok_slow', { approves: true, slow: true }],
]);
