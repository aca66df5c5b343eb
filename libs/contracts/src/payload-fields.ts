import { z } from 'zod';

// Field schemas shared by several payloads, so that an order id means the same thing everywhere.
export const identifier = z.string().min(1).max(128);
export const sku = z.string().min(1).max(64);
export const cents = z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER);
/** ISO 4217 code, e.g. EUR. */
export const currency = z.string().regex(/^[A-Z]{3}$/, 'an ISO 4217 currency code such as EUR');
export const quantity = z.number().int().positive().max(1_000_000);
/** A short human-readable explanation; the machine-readable part is an enum beside it. */
export const detail = z.string().max(500);

export const orderLine = z.object({ sku, quantity, unitPriceCents: cents });
export const stockLine = z.object({ sku, quantity });
