import { z } from 'zod';

/** The query string of `GET /api/payments`; other parameters are ignored. */
export const paymentQuery = z.object({
  orderId: z.string().min(1).max(128).meta({ description: 'The order whose payment to read.' }),
});

export type PaymentQuery = z.output<typeof paymentQuery>;
