import type { StockLevel } from './stock-level';

/** A product's catalogue data; its stock lives in the stock document of its sku. */
export interface Product {
  sku: string;
  name: string;
  priceCents: number;
  currency: string;
  /** The stock it was created with: its stock until the first change. */
  initialStock: number;
  createdAt: Date;
}

/** What clients read: the product with the stock available to order. */
export interface ProductView {
  sku: string;
  name: string;
  priceCents: number;
  currency: string;
  available: number;
}

export function productViewOf(product: Product, level: StockLevel): ProductView {
  const { sku, name, priceCents, currency } = product;
  return { sku, name, priceCents, currency, available: level.available };
}

/** Skus are document ids, URL path segments and cache keys, so they are plain tokens. */
export const skuPattern = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
