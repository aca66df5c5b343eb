/** One line of a stock command: how many of a sku. */
export interface StockLine {
  sku: string;
  quantity: number;
}

/** A line of a reserved order and the hold on its sku's stock that the reservation owns (stock-holds.ts). */
export interface ReservedLine extends StockLine {
  holdId: string;
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

/** The same sku twice in one command is one line, so an order holds each sku's stock at most once. */
export function mergeLines(lines: readonly StockLine[]): StockLine[] {
  const merged = new Map<string, number>();
  for (const { sku, quantity } of lines) merged.set(sku, (merged.get(sku) ?? 0) + quantity);
  return [...merged].map(([sku, quantity]) => ({ sku, quantity }));
}

/** The rejection reason for the lines that could not be reserved: an unknown sku outweighs a shortage. */
export function rejectionReasonOf(unknownSkus: number): RejectionReason {
  return unknownSkus > 0 ? 'UNKNOWN_SKU' : 'OUT_OF_STOCK';
}
