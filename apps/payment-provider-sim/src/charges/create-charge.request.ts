import { z } from 'zod';

/** Stripe's metadata limits: up to 50 keys of at most 40 characters, values of at most 500. */
export const metadata = z
  .record(z.string().min(1).max(40), z.string().max(500))
  .refine((value) => Object.keys(value).length <= 50, 'at most 50 keys');

export const createChargeRequest = z.strictObject({
  /** In the currency's smallest unit (cents). */
  amount: z.number().int().positive(),
  currency: z
    .string()
    .regex(/^[a-zA-Z]{3}$/, 'a three-letter ISO currency code')
    .transform((code) => code.toLowerCase()),
  source: z.string().min(1),
  description: z.string().max(1000).optional(),
  metadata: metadata.optional(),
});

export type CreateChargeRequest = z.output<typeof createChargeRequest>;
