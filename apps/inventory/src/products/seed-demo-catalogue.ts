import { DuplicateSkuError } from '../domain/errors';
import type { CreateProduct } from './create-product/create-product';
import type { CreateProductRequest } from './create-product/create-product.request';

/** What `npm start` offers to buy. */
export const demoCatalogue: CreateProductRequest[] = [
  { sku: 'TEA-GREEN', name: 'Green tea, 100 g', priceCents: 650, currency: 'EUR', initialStock: 100 },
  { sku: 'TEA-BLACK', name: 'Black tea, 100 g', priceCents: 590, currency: 'EUR', initialStock: 100 },
  { sku: 'MUG-WHITE', name: 'White mug', priceCents: 1200, currency: 'EUR', initialStock: 50 },
  { sku: 'KETTLE-1L', name: 'Kettle, 1 l', priceCents: 3900, currency: 'EUR', initialStock: 20 },
  { sku: 'TEAPOT-CAST', name: 'Cast-iron teapot', priceCents: 5400, currency: 'EUR', initialStock: 5 },
];

/** Adds the demo products that are missing; running it again (or on several instances at once) changes nothing. */
export async function seedDemoCatalogue(createProduct: CreateProduct): Promise<void> {
  for (const product of demoCatalogue) {
    try {
      await createProduct.execute(product, { traceparent: null });
    } catch (error) {
      if (!(error instanceof DuplicateSkuError)) throw error;
    }
  }
}
