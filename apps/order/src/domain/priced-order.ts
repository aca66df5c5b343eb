import { MixedCurrenciesError } from './errors';
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
  const totalCents = items.reduce((total, line) => total + line.quantity * line.unitPriceCents, 0);
  if (!Number.isSafeInteger(totalCents))
    throw new Error('the order total is beyond what can be counted exactly');
  return { items, totalCents, currency };
}
