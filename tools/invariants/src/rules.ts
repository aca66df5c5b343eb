/**
 * The platform's invariants (docs/events.md#invariants) as pure functions over plain data: what the
 * stores hold goes in, the violations come out, each naming the offending id. The store readers
 * (./readers) and the end-to-end checker (apps/platform-e2e/test/invariants.ts) feed them; neither
 * restates a rule.
 *
 * Imports nothing: the end-to-end suites import this file as it is.
 */

/** A stock level as the inventory's ledger records it. */
export interface StockLevel {
  available: number;
  reserved: number;
  sold: number;
  initial: number;
  restocked: number;
}

export interface SkuStock {
  sku: string;
  level: StockLevel;
}

/** An order's status as the order service shows it (derived from its saga's status). */
export type OrderStatus = 'PENDING' | 'CONFIRMED' | 'CANCELLED' | 'COMPENSATION_FAILED';

export interface OrderFacts {
  orderId: string;
  status: OrderStatus;
  items: readonly { sku: string; quantity: number }[];
  totalCents: number;
  failureReason?: string | null;
  /** When the saga's awaited reply is overdue (epoch ms), while the order is not final. */
  deadline?: number | null;
}

/** A charge as the provider lists it. */
export interface ProviderChargeFacts {
  id: string;
  /** The charge's `metadata.orderId`; null when it names none. */
  orderId: string | null;
  amount: number;
  status: string;
  refunded: boolean;
}

/** An order's row in the payment service's ledger. */
export interface LedgerPaymentFacts {
  orderId: string;
  paymentId: string;
  /** PENDING, AUTHORIZED, DECLINED, FAILED, REFUNDED or VOIDED. */
  status: string;
  chargeId: string | null;
}

export interface NotificationFacts {
  id: string;
  /** null for notices about no order (the welcome). */
  orderId: string | null;
  type: string;
}

/** An event still waiting in an outbox: published events are removed from it. */
export interface PendingOutboxEvent {
  /** Where it waits: `database.collection` or `keyspace.table`. */
  store: string;
  aggregateId: string;
  eventId: string;
  type: string;
  /** Epoch ms. */
  occurredAt: number;
}

/** A record parked in a dead-letter topic, with its headers as strings. */
export interface DeadLetterFacts {
  topic: string;
  partition: number;
  offset: string;
  headers: Readonly<Record<string, string>>;
}

export interface PartitionLag {
  groupId: string;
  topic: string;
  partition: number;
  /** Messages the group has not consumed yet. */
  lag: number;
}

/** One broken invariant: the id of what breaks it (a sku, an order, a record…) and how. */
export interface Violation {
  id: string;
  detail: string;
}

/** Per sku: available + reserved + sold = initial + restocked. */
export function unconservedStock(stocks: readonly SkuStock[]): Violation[] {
  return stocks
    .filter(
      ({ level: { available, reserved, sold, initial, restocked } }) =>
        available + reserved + sold !== initial + restocked,
    )
    .map(({ sku, level }) => ({ id: sku, detail: `stock not conserved ${JSON.stringify(level)}` }));
}

/** Per sku: available ≥ 0 (more sold or reserved than there was: oversold), and no other count below 0. */
export function negativeStock(stocks: readonly SkuStock[]): Violation[] {
  return stocks.flatMap(({ sku, level }) => {
    if (level.available < 0) return [{ id: sku, detail: `oversold ${JSON.stringify(level)}` }];
    const negative = (['reserved', 'sold', 'initial', 'restocked'] as const).filter(
      (count) => level[count] < 0,
    );
    return negative.length > 0
      ? [{ id: sku, detail: `${negative.join(', ')} below 0 ${JSON.stringify(level)}` }]
      : [];
  });
}

/**
 * Per sku, against the orders: `sold` is what the CONFIRMED orders bought, and nothing is reserved
 * beyond what the orders still open may hold (nothing at all once every order is final). An order
 * whose compensation failed may still hold its reservation.
 */
export function stockOrderMismatches(
  stocks: readonly SkuStock[],
  orders: readonly OrderFacts[],
): Violation[] {
  const units = (statuses: readonly OrderStatus[]) => {
    const bySku = new Map<string, number>();
    for (const order of orders)
      if (statuses.includes(order.status))
        for (const { sku, quantity } of order.items) bySku.set(sku, (bySku.get(sku) ?? 0) + quantity);
    return bySku;
  };
  const bought = units(['CONFIRMED']);
  const open = units(['PENDING', 'COMPENSATION_FAILED']);
  return stocks.flatMap(({ sku, level }) => {
    const found: Violation[] = [];
    const confirmed = bought.get(sku) ?? 0;
    if (level.sold !== confirmed)
      found.push({ id: sku, detail: `sold ${level.sold}, the CONFIRMED orders bought ${confirmed}` });
    const holdable = open.get(sku) ?? 0;
    if (level.reserved > holdable)
      found.push({
        id: sku,
        detail:
          holdable === 0
            ? `still reserved with every order of it final ${JSON.stringify(level)}`
            : `reserved ${level.reserved}, the open orders hold at most ${holdable}`,
      });
    return found;
  });
}

/** A charge the customer still pays: it succeeded and was not refunded. */
export function isKept(charge: ProviderChargeFacts): boolean {
  return charge.status === 'succeeded' && !charge.refunded;
}

/**
 * Per order, at the provider: at most one kept charge; none for a CANCELLED order; exactly one, of
 * the order's total, for a CONFIRMED order. A kept charge of an order the order store does not
 * know (or naming no order) is money taken for nothing.
 */
export function providerChargeViolations(
  orders: readonly OrderFacts[],
  charges: readonly ProviderChargeFacts[],
): Violation[] {
  const keptByOrder = groupBy(charges.filter(isKept), (charge) => charge.orderId ?? '');
  const found: Violation[] = [];
  for (const order of orders) {
    const kept = keptByOrder.get(order.orderId) ?? [];
    const described = statusText(order);
    if (kept.length > 1)
      found.push(violation(order, `${described}: ${kept.length} kept charges ${ids(kept)}`));
    else if (order.status === 'CONFIRMED' && kept.length === 0)
      found.push(violation(order, `${described}: no kept charge`));
    else if (order.status === 'CONFIRMED' && kept[0] && kept[0].amount !== order.totalCents)
      found.push(
        violation(order, `${described}: charged ${kept[0].amount}, the order totals ${order.totalCents}`),
      );
    if (order.status === 'CANCELLED' && kept.length > 0)
      found.push(violation(order, `${described}: keeps charge ${ids(kept)}`));
  }
  const known = new Set(orders.map((order) => order.orderId));
  for (const [orderId, kept] of keptByOrder)
    if (!known.has(orderId))
      found.push({
        id: orderId || ids(kept),
        detail: orderId
          ? `kept charge ${ids(kept)} of an order the order store does not know`
          : `kept charge ${ids(kept)} names no order`,
      });
  return found;
}

/**
 * Per order, in the payment ledger (one row per order, so never two kept payments): none kept
 * (AUTHORIZED) for a CANCELLED order, the kept one for a CONFIRMED order, and, when the provider's
 * charges are given, a kept payment's charge is one the provider keeps.
 */
export function ledgerViolations(
  orders: readonly OrderFacts[],
  payments: readonly LedgerPaymentFacts[],
  charges?: readonly ProviderChargeFacts[],
): Violation[] {
  const paymentOf = new Map(payments.map((payment) => [payment.orderId, payment]));
  const keptAtProvider = charges && new Set(charges.filter(isKept).map((charge) => charge.id));
  const found: Violation[] = [];
  for (const order of orders) {
    const payment = paymentOf.get(order.orderId);
    const described = statusText(order);
    if (order.status === 'CONFIRMED' && payment?.status !== 'AUTHORIZED')
      found.push(
        violation(
          order,
          payment
            ? `${described}: its payment ${payment.paymentId} is ${payment.status}, not AUTHORIZED`
            : `${described}: no payment in the ledger`,
        ),
      );
    if (order.status === 'CANCELLED' && payment?.status === 'AUTHORIZED')
      found.push(
        violation(
          order,
          `${described}: its payment ${payment.paymentId} keeps charge ${payment.chargeId ?? '-'}`,
        ),
      );
    if (
      keptAtProvider &&
      payment?.status === 'AUTHORIZED' &&
      (payment.chargeId === null || !keptAtProvider.has(payment.chargeId))
    )
      found.push(
        violation(
          order,
          `${described}: its payment ${payment.paymentId} keeps charge ${payment.chargeId ?? '-'}, which the provider does not keep`,
        ),
      );
  }
  return found;
}

/**
 * No order is left non-final: none still PENDING more than `graceMs` past its saga's deadline (the
 * saga acts on a deadline at its next tick), none without a deadline, none parked in
 * COMPENSATION_FAILED.
 */
export function overdueOrders(orders: readonly OrderFacts[], now: number, graceMs: number): Violation[] {
  return orders.flatMap((order): Violation[] => {
    if (order.status === 'COMPENSATION_FAILED')
      return [violation(order, `${statusText(order)}: its compensation gave up; an operator must settle it`)];
    if (order.status !== 'PENDING') return [];
    if (order.deadline === null || order.deadline === undefined)
      return [violation(order, 'PENDING without a deadline')];
    const late = now - order.deadline;
    return late > graceMs
      ? [
          violation(
            order,
            `PENDING ${seconds(late)} past its deadline ${new Date(order.deadline).toISOString()}`,
          ),
        ]
      : [];
  });
}

const outcomeNotice: Partial<Record<OrderStatus, string>> = {
  CONFIRMED: 'ORDER_CONFIRMED',
  CANCELLED: 'ORDER_CANCELLED',
};

/**
 * Exactly one notification per order outcome, of the outcome's type, however often it was
 * delivered; none for an order without an outcome (PENDING, or COMPENSATION_FAILED, which is
 * announced to no customer), none for an order the order store does not know.
 */
export function notificationViolations(
  orders: readonly OrderFacts[],
  notifications: readonly NotificationFacts[],
): Violation[] {
  const byOrder = groupBy(
    notifications.filter((notification) => notification.orderId !== null),
    (notification) => notification.orderId ?? '',
  );
  const found: Violation[] = [];
  for (const order of orders) {
    const listed = byOrder.get(order.orderId) ?? [];
    const expected = outcomeNotice[order.status];
    const types = JSON.stringify(listed.map((notification) => notification.type));
    if (expected === undefined) {
      if (listed.length > 0)
        found.push(violation(order, `${statusText(order)}: notified ${types} without an outcome`));
    } else if (listed.length !== 1 || listed[0]?.type !== expected)
      found.push(violation(order, `${statusText(order)}: notifications ${types}, not ["${expected}"]`));
  }
  const known = new Set(orders.map((order) => order.orderId));
  for (const [orderId, listed] of byOrder)
    if (!known.has(orderId))
      found.push({
        id: orderId,
        detail: `notification ${ids(listed)} of an order the order store does not know`,
      });
  return found;
}

/** Every outbox event published: none still waiting `graceMs` after it occurred. */
export function unpublishedOutbox(
  events: readonly PendingOutboxEvent[],
  now: number,
  graceMs: number,
): Violation[] {
  return events
    .filter((event) => now - event.occurredAt > graceMs)
    .map((event) => ({
      id: event.aggregateId,
      detail: `${event.type} ${event.eventId} in ${event.store} unpublished for ${seconds(now - event.occurredAt)}`,
    }));
}

/**
 * Every dead letter explained: a reason (`dlq-reason`) and how often its handler tried it
 * (`dlq-attempts`, a count ≥ 1). A message parked without a try (it broke its contract) has neither
 * attempts nor group by design (libs/messaging's dead-letter-record.ts): its reason explains it.
 */
export function unexplainedDeadLetters(letters: readonly DeadLetterFacts[]): Violation[] {
  return letters.flatMap((letter) => {
    const reason = letter.headers['dlq-reason']?.trim() ?? '';
    const attempts = letter.headers['dlq-attempts'];
    const group = letter.headers['dlq-group'];
    const missing: string[] = [];
    if (reason === '') missing.push('no dlq-reason');
    if (attempts === undefined) {
      if (group !== undefined) missing.push(`no dlq-attempts (a handler of ${group} tried it)`);
    } else if (!/^[1-9]\d*$/.test(attempts)) missing.push(`dlq-attempts "${attempts}" is not a count ≥ 1`);
    if (missing.length === 0) return [];
    const ceId = letter.headers['ce_id'] ?? '-';
    return [
      {
        id: `${letter.topic} ${letter.partition}:${letter.offset}`,
        detail: `ce_id ${ceId}: ${missing.join('; ')}`,
      },
    ];
  });
}

/** Every consumer group has consumed everything: its lag, summed over its partitions, is 0. */
export function laggingGroups(lags: readonly PartitionLag[]): Violation[] {
  return [...groupBy(lags, (lag) => lag.groupId)].flatMap(([groupId, partitions]) => {
    const behind = partitions.filter((partition) => partition.lag > 0);
    if (behind.length === 0) return [];
    const total = behind.reduce((sum, partition) => sum + partition.lag, 0);
    const where = behind.map(({ topic, partition, lag }) => `${topic}/${partition}: ${lag}`).join(', ');
    return [{ id: groupId, detail: `lag ${total} (${where})` }];
  });
}

function violation(order: OrderFacts, detail: string): Violation {
  return { id: order.orderId, detail };
}

function statusText(order: OrderFacts): string {
  return order.failureReason ? `${order.status} ${order.failureReason}` : order.status;
}

function ids(items: readonly { id: string }[]): string {
  return items.map((item) => item.id).join(', ');
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

function groupBy<T>(items: readonly T[], keyOf: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const key = keyOf(item);
    const group = groups.get(key);
    if (group) group.push(item);
    else groups.set(key, [item]);
  }
  return groups;
}
