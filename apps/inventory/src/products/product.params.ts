import { z } from 'zod';
import { skuPattern } from '../domain/product';

/** `{sku}` of the product paths. A sku no product has answers 404. */
export const productParams = z.object({
  sku: z.string().regex(skuPattern).meta({ example: 'KETTLE-1L' }),
});
