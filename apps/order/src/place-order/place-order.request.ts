import { z } from 'zod';
import { paymentMethod } from '@platform/contracts';

/** Lines per order: more than a basket needs, few enough that pricing (one read per sku) stays quick. */
export const maxOrderLines = 50;

/** As inventory names products: letters, digits, ".", "_" or "-", at most 64, starting with a letter or digit. */
const sku = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, 'a sku: letters, digits, ".", "_" or "-", at most 64');

/**
 * `POST /api/orders` (docs/api.md#orders). Unknown fields, at any depth, are refused. A sku appears once: a
 * second line for the same sku is refused rather than merged, so the order reads as it was sent.
 */
export const placeOrderRequest = z.strictObject({
  items: z
    .array(
      z.strictObject({
        sku,
        quantity: z.number().int().min(1).max(100),
      }),
    )
    .min(1)
    .max(maxOrderLines)
    .superRefine((items, context) => {
      const seen = new Set<string>();
      items.forEach(({ sku: line }, index) => {
        if (seen.has(line))
          context.addIssue({
            code: 'custom',
            path: [index, 'sku'],
            message: `${line} appears more than once`,
          });
        seen.add(line);
      });
    }),
  paymentMethod,
});

export type PlaceOrderRequest = z.output<typeof placeOrderRequest>;
