/** One line of a stock command: how many of a sku. */
export interface StockLine {
  sku: string;
  quantity: number;
}

export interface UnavailableLine {
  sku: string;
  requested: number;
  available: number;
}

export type RejectionReason = 'OUT_OF_STOCK' | 'UNKNOWN_SKU';

/**
 * What ReserveStock decided for an order, once and for all: 'reserved', 'rejected', or 'released'
 * when ReleaseStock came first (a tombstone: a late ReserveStock then reserves nothing).
 */
export type ReservationDecisionStatus = 'reserved' | 'rejected' | 'released';

/** How a reserved order's stock ended: sold, or given back. */
export type SettlementStatus = 'committed' | 'released';

/** The same sku twice in one command is one line, so each sku has one step (and one cause) per order. */
export function mergeLines(lines: readonly StockLine[]): StockLine[] {
  const merged = new Map<string, number>();
  for (const { sku, quantity } of lines) merged.set(sku, (merged.get(sku) ?? 0) + quantity);
  return [...merged].map(([sku, quantity]) => ({ sku, quantity }));
}

/** The rejection reason for the lines that could not be reserved: an unknown sku outweighs a shortage. */
export function rejectionReasonOf(unknownSkus: number): RejectionReason {
  return unknownSkus > 0 ? 'UNKNOWN_SKU' : 'OUT_OF_STOCK';
}

/** The unique cause of one stock step of one order, so a step is applied at most once whatever is redelivered. */
export function causeOf(
  orderId: string,
  step: 'reserve' | 'unreserve' | 'commit' | 'release',
  sku: string,
): string {
  return `${orderId}:${step}:${sku}`;
}
