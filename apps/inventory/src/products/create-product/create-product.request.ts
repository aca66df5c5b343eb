import { z } from 'zod';
import { printableText } from '@platform/http';
import { skuPattern } from '../../domain/product';

export const createProductRequest = z.strictObject({
  sku: z
    .string()
    .regex(skuPattern, 'letters, digits, ".", "_" or "-", at most 64, starting with a letter or digit'),
  name: printableText(200),
  /** At most €10,000,000.00 a unit: money is bounded where it is accepted, and sums of it stay exact. */
  priceCents: z.number().int().nonnegative().max(1_000_000_000),
  currency: z
    .string()
    .regex(/^[A-Z]{3}$/, 'an ISO 4217 currency code such as EUR')
    .default('EUR'),
  initialStock: z.number().int().nonnegative().max(1_000_000),
});

export type CreateProductRequest = z.output<typeof createProductRequest>;
