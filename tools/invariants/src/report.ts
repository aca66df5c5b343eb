import {
  laggingGroups,
  ledgerViolations,
  negativeStock,
  notificationViolations,
  overdueOrders,
  providerChargeViolations,
  stockOrderMismatches,
  unconservedStock,
  unexplainedDeadLetters,
  unpublishedOutbox,
  type DeadLetterFacts,
  type LedgerPaymentFacts,
  type NotificationFacts,
  type OrderFacts,
  type PartitionLag,
  type PendingOutboxEvent,
  type ProviderChargeFacts,
  type SkuStock,
  type Violation,
} from './rules.ts';

/** What one source gave: its data, or why it could not be read. */
export type Read<T> = { ok: true; value: T } | { ok: false; error: string };

/** Everything read from a running platform, source by source. */
export interface PlatformFacts {
  stocks: Read<SkuStock[]>;
  orders: Read<OrderFacts[]>;
  charges: Read<ProviderChargeFacts[]>;
  payments: Read<LedgerPaymentFacts[]>;
  notifications: Read<NotificationFacts[]>;
  outbox: Read<PendingOutboxEvent[]>;
  deadLetters: Read<DeadLetterFacts[]>;
  lags: Read<PartitionLag[]>;
  /** What the readers want the operator to know, e.g. a store they found empty because it does not exist. */
  notes: string[];
}

type Source = Exclude<keyof PlatformFacts, 'notes'>;
type Values = { [S in Source]: PlatformFacts[S] extends Read<infer T> ? T : never };

export interface CheckOptions {
  /** Epoch ms: when the check runs. */
  now: number;
  /** How long past its deadline an order may stay non-final, and an outbox event unpublished. */
  graceMs: number;
}

export const invariantIds = [
  'stock-conserved',
  'stock-not-negative',
  'stock-matches-orders',
  'charges-at-provider',
  'charges-in-ledger',
  'orders-final',
  'notifications',
  'outbox-published',
  'dlq-explained',
  'consumer-lag',
] as const;
export type InvariantId = (typeof invariantIds)[number];

interface InvariantDefinition {
  id: InvariantId;
  title: string;
  needs: readonly Source[];
  /** What was looked at, e.g. "12 skus". */
  scope: (values: Values, readable: Partial<Values>) => string;
  /** `readable` holds every source that could be read, for a rule that uses one when it can. */
  violations: (values: Values, options: CheckOptions, readable: Partial<Values>) => Violation[];
}

const count = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** The invariants of issue 15, in the order the report lists them. */
const definitions: readonly InvariantDefinition[] = [
  {
    id: 'stock-conserved',
    title: 'per sku: available + reserved + sold = initial + restocked',
    needs: ['stocks'],
    scope: ({ stocks }) => count(stocks.length, 'sku'),
    violations: ({ stocks }) => unconservedStock(stocks),
  },
  {
    id: 'stock-not-negative',
    title: 'per sku: available ≥ 0, no count below 0',
    needs: ['stocks'],
    scope: ({ stocks }) => count(stocks.length, 'sku'),
    violations: ({ stocks }) => negativeStock(stocks),
  },
  {
    id: 'stock-matches-orders',
    title: 'per sku: sold = units of CONFIRMED orders, nothing reserved for final orders',
    needs: ['stocks', 'orders'],
    scope: ({ stocks, orders }) => `${count(stocks.length, 'sku')}, ${count(orders.length, 'order')}`,
    violations: ({ stocks, orders }) => stockOrderMismatches(stocks, orders),
  },
  {
    id: 'charges-at-provider',
    title: 'per order: at most one kept charge at the provider, one for CONFIRMED, none for CANCELLED',
    needs: ['orders', 'charges'],
    scope: ({ orders, charges }) => `${count(orders.length, 'order')}, ${count(charges.length, 'charge')}`,
    violations: ({ orders, charges }) => providerChargeViolations(orders, charges),
  },
  {
    id: 'charges-in-ledger',
    title: 'per order: the payment ledger keeps the charge of a CONFIRMED order, none of a CANCELLED one',
    needs: ['orders', 'payments'],
    scope: ({ orders, payments }, { charges }) =>
      `${count(orders.length, 'order')}, ${count(payments.length, 'payment')}${charges ? '' : '; the provider unread, so not compared with it'}`,
    violations: ({ orders, payments }, _options, { charges }) => ledgerViolations(orders, payments, charges),
  },
  {
    id: 'orders-final',
    title: 'no order non-final past its deadline, none COMPENSATION_FAILED',
    needs: ['orders'],
    scope: ({ orders }) => count(orders.length, 'order'),
    violations: ({ orders }, { now, graceMs }) => overdueOrders(orders, now, graceMs),
  },
  {
    id: 'notifications',
    title: 'exactly one notification per order outcome',
    needs: ['orders', 'notifications'],
    scope: ({ orders, notifications }) =>
      `${count(orders.length, 'order')}, ${count(notifications.length, 'notification')}`,
    violations: ({ orders, notifications }) => notificationViolations(orders, notifications),
  },
  {
    id: 'outbox-published',
    title: 'every outbox record published',
    needs: ['outbox'],
    scope: ({ outbox }) => `${count(outbox.length, 'event')} waiting`,
    violations: ({ outbox }, { now, graceMs }) => unpublishedOutbox(outbox, now, graceMs),
  },
  {
    id: 'dlq-explained',
    title: 'every dead letter carries its reason and attempts',
    needs: ['deadLetters'],
    scope: ({ deadLetters }) => count(deadLetters.length, 'dead letter'),
    violations: ({ deadLetters }) => unexplainedDeadLetters(deadLetters),
  },
  {
    id: 'consumer-lag',
    title: 'every consumer group has consumed everything (lag 0)',
    needs: ['lags'],
    scope: ({ lags }) => count(new Set(lags.map((lag) => lag.groupId)).size, 'group'),
    violations: ({ lags }) => laggingGroups(lags),
  },
];

export interface InvariantResult {
  invariant: InvariantId;
  title: string;
  /** `unchecked`: a source it needs could not be read (see `error`). */
  status: 'ok' | 'violated' | 'unchecked';
  /** What was looked at, e.g. "12 skus, 40 orders". */
  scope?: string;
  violations: Violation[];
  error?: string;
}

export interface InvariantReport {
  /** Every invariant checked and none violated. */
  ok: boolean;
  checkedAt: string;
  graceMs: number;
  results: InvariantResult[];
  notes: string[];
}

/** Applies every rule to what was read; an invariant whose source failed is `unchecked`. */
export function evaluate(facts: PlatformFacts, options: CheckOptions): InvariantReport {
  const sources = Object.keys(facts).filter((key): key is Source => key !== 'notes');
  const readable = Object.fromEntries(
    sources.flatMap((source) => {
      const read = facts[source];
      return read.ok ? [[source, read.value]] : [];
    }),
  ) as Partial<Values>;
  const results = definitions.map((definition): InvariantResult => {
    const base = { invariant: definition.id, title: definition.title };
    const failed = definition.needs.flatMap((source) => {
      const read = facts[source];
      return read.ok ? [] : [`${source}: ${read.error}`];
    });
    if (failed.length > 0) return { ...base, status: 'unchecked', violations: [], error: failed.join('; ') };
    // Every source it needs was read.
    const values = readable as Values;
    const violations = definition.violations(values, options, readable);
    return {
      ...base,
      status: violations.length > 0 ? 'violated' : 'ok',
      scope: definition.scope(values, readable),
      violations,
    };
  });
  return {
    ok: results.every((result) => result.status === 'ok'),
    checkedAt: new Date(options.now).toISOString(),
    graceMs: options.graceMs,
    results,
    notes: facts.notes,
  };
}

/** 0: every invariant holds; 1: one is violated; 3: none is violated, but one could not be checked. */
export function exitCodeOf(report: InvariantReport): number {
  if (report.results.some((result) => result.status === 'violated')) return 1;
  return report.results.some((result) => result.status === 'unchecked') ? 3 : 0;
}
