import { z } from 'zod';
import { skuPattern } from '../../domain/product';

export const createProductRequest = z.strictObject({
  sku: z
    .string()
    .regex(skuPattern, 'letters, digits, ".", "_" or "-", at most 64, starting with a letter or digit'),
  name: z.string().trim().min(1).max(200),
  priceCents: z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER),
  currency: z
    .string()
    .regex(/^[A-Z]{3}$/, 'an ISO 4217 currency code such as EUR')
    .default('EUR'),
  initialStock: z.number().int().nonnegative().max(1_000_000),
});

export type CreateProductRequest = z.output<typeof createProductRequest>;
