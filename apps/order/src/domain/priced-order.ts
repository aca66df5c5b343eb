import { MixedCurrenciesError, OrderTotalTooLargeError } from './errors';

/**
 * The most one order may cost: €100,000,000.00. Far above any real basket, and far enough below
 * 2^53 that a total is always an exact integer, whatever the prices the catalogue holds.
 */
export const maxOrderTotalCents = 10_000_000_000;
import type { OrderLine } from './order';

export interface RequestedLine {
  sku: string;
  quantity: number;
}

export interface UnitPrice {
  priceCents: number;
  currency: string;
}

export interface PricedOrder {
  items: OrderLine[];
  totalCents: number;
  currency: string;
}

/**
 * The order's lines at the given prices, in the order they were asked for, and their total. One
 * order is charged once, in one currency.
 * @throws MixedCurrenciesError when the products are priced in several currencies
 * @throws OrderTotalTooLargeError when the total would be above `maxOrderTotalCents`
 */
export function priceOrder(
  lines: readonly RequestedLine[],
  prices: ReadonlyMap<string, UnitPrice>,
): PricedOrder {
  const priced = lines.map(({ sku, quantity }) => {
    const price = prices.get(sku);
    if (!price) throw new Error(`no price for ${sku}`);
    return { line: { sku, quantity, unitPriceCents: price.priceCents }, currency: price.currency };
  });
  const [currency, ...others] = [...new Set(priced.map((one) => one.currency))];
  if (currency === undefined) throw new Error('an order has at least one line');
  if (others.length > 0) throw new MixedCurrenciesError([currency, ...others]);
  const items = priced.map((one) => one.line);
  // Summed in BigInt, so that no sum of safe integers can lose precision before it is compared.
  const exactTotal = items.reduce(
    (total, line) => total + BigInt(line.quantity) * BigInt(line.unitPriceCents),
    0n,
  );
  if (exactTotal > BigInt(maxOrderTotalCents)) throw new OrderTotalTooLargeError(maxOrderTotalCents);
  const totalCents = Number(exactTotal);
  return { items, totalCents, currency };
}
