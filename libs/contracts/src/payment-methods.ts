import { z } from 'zod';

/**
 * The payment methods an order accepts (docs/api.md#orders): the test tokens of the bundled
 * payment-provider simulator, in Stripe's style. `tok_visa` approves, `tok_chargeDeclined`
 * declines, `tok_slow` answers after a delay longer than the order's payment deadline.
 */
export const paymentMethods = ['tok_visa', 'tok_chargeDeclined', 'tok_slow'] as const;

export const paymentMethod = z.enum(paymentMethods);
export type PaymentMethod = z.infer<typeof paymentMethod>;
