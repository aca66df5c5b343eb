/** What the orders of a saga run came to, from their views (GET /api/orders): pure arithmetic. */

export interface OrderSnapshot {
  orderId: string;
  status: string;
  failureReason?: string;
  createdAt: string;
  items: { sku: string; quantity: number }[];
  history: { status: string; at: string }[];
}

export const finalStatuses: ReadonlySet<string> = new Set(['CONFIRMED', 'CANCELLED', 'COMPENSATION_FAILED']);

export function isFinal(order: OrderSnapshot): boolean {
  return finalStatuses.has(order.status);
}

export interface SagaOutcome {
  orders: number;
  byStatus: Record<string, number>;
  /** Cancelled orders by failureReason. */
  cancelledBecause: Record<string, number>;
  /** createdAt → the CONFIRMED entry of the history, per confirmed order, in ms. */
  confirmLatenciesMs: number[];
  /** Orders that reached a final status, per second from the first createdAt to the last final status. */
  completedPerSecond: number;
}

const finalAtOf = (order: OrderSnapshot): number | undefined => {
  const final = order.history.find((change) => finalStatuses.has(change.status));
  return final === undefined ? undefined : Date.parse(final.at);
};

export function sagaOutcomeOf(orders: readonly OrderSnapshot[]): SagaOutcome {
  const byStatus: Record<string, number> = {};
  const cancelledBecause: Record<string, number> = {};
  const confirmLatenciesMs: number[] = [];
  let firstCreated = Number.POSITIVE_INFINITY;
  let lastFinal = Number.NEGATIVE_INFINITY;
  let finals = 0;
  for (const order of orders) {
    byStatus[order.status] = (byStatus[order.status] ?? 0) + 1;
    if (order.status === 'CANCELLED') {
      const reason = order.failureReason ?? 'unknown';
      cancelledBecause[reason] = (cancelledBecause[reason] ?? 0) + 1;
    }
    const created = Date.parse(order.createdAt);
    firstCreated = Math.min(firstCreated, created);
    const finalAt = finalAtOf(order);
    if (finalAt === undefined) continue;
    finals += 1;
    lastFinal = Math.max(lastFinal, finalAt);
    const confirmed = order.history.find((change) => change.status === 'CONFIRMED');
    if (confirmed) confirmLatenciesMs.push(Date.parse(confirmed.at) - created);
  }
  const spanSeconds = (lastFinal - firstCreated) / 1000;
  return {
    orders: orders.length,
    byStatus,
    cancelledBecause,
    confirmLatenciesMs,
    completedPerSecond: finals > 0 && spanSeconds > 0 ? finals / spanSeconds : Number.NaN,
  };
}

/** Units of `sku` sold by confirmed orders: what its `available` must have lost once every order is final. */
export function confirmedQuantityOf(orders: readonly OrderSnapshot[], sku: string): number {
  return orders
    .filter((order) => order.status === 'CONFIRMED')
    .flatMap((order) => order.items)
    .filter((item) => item.sku === sku)
    .reduce((sum, item) => sum + item.quantity, 0);
}

/** "12× OUT_OF_STOCK, 3× TIMEOUT", or "none". */
export function formatCounts(counts: Record<string, number>): string {
  const entries = Object.entries(counts).sort(([, a], [, b]) => b - a);
  return entries.length === 0 ? 'none' : entries.map(([name, count]) => `${count}× ${name}`).join(', ');
}
