import { z } from 'zod';

/** A product as clients read it (`ProductView`): its catalogue data and the stock available to order. */
export const productResponse = z
  .object({
    sku: z.string(),
    name: z.string(),
    priceCents: z.number().int().min(0),
    currency: z.string().regex(/^[A-Z]{3}$/),
    available: z.number().int().min(0),
  })
  .meta({
    example: { sku: 'KETTLE-1L', name: 'Kettle, 1 l', priceCents: 3900, currency: 'EUR', available: 20 },
  });

/** `GET /api/products`: a page of products, by sku. */
export const productsPageResponse = z.object({
  items: z.array(productResponse),
  nextCursor: z
    .string()
    .nullable()
    .meta({ description: 'Pass it as `cursor` for the next page; null on the last.' }),
});
