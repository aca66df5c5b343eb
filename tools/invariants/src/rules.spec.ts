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
  type ProviderChargeFacts,
  type SkuStock,
  type StockLevel,
} from './rules.ts';

const level = (counts: Partial<StockLevel> = {}): StockLevel => ({
  available: 10,
  reserved: 0,
  sold: 0,
  initial: 10,
  restocked: 0,
  ...counts,
});
const stock = (sku: string, counts: Partial<StockLevel> = {}): SkuStock => ({ sku, level: level(counts) });

const order = (
  orderId: string,
  status: OrderFacts['status'],
  extra: Partial<OrderFacts> = {},
): OrderFacts => ({
  orderId,
  status,
  items: [{ sku: 'sku-1', quantity: 2 }],
  totalCents: 2500,
  ...extra,
});
const charge = (
  id: string,
  orderId: string | null,
  extra: Partial<ProviderChargeFacts> = {},
): ProviderChargeFacts => ({
  id,
  orderId,
  amount: 2500,
  status: 'succeeded',
  refunded: false,
  ...extra,
});
const payment = (orderId: string, status: string, chargeId: string | null = null): LedgerPaymentFacts => ({
  orderId,
  paymentId: `pay-${orderId}`,
  status,
  chargeId,
});
const notice = (id: string, orderId: string | null, type: string): NotificationFacts => ({
  id,
  orderId,
  type,
});

const idsOf = (violations: { id: string }[]) => violations.map((violation) => violation.id);

describe('stock rules', () => {
  it('when every count adds up and none is negative, then the stock rules find nothing', () => {
    const stocks = [stock('sku-1', { available: 5, reserved: 2, sold: 4, restocked: 1 })];

    expect(unconservedStock(stocks)).toEqual([]);
    expect(negativeStock(stocks)).toEqual([]);
  });

  it('when available + reserved + sold differs from initial + restocked, then the sku is not conserved', () => {
    const violations = unconservedStock([stock('sku-1'), stock('sku-2', { available: 9, sold: 2 })]);

    expect(idsOf(violations)).toEqual(['sku-2']);
    expect(violations[0]?.detail).toContain('stock not conserved');
  });

  it('when available is below 0, then the sku is oversold; another negative count is named', () => {
    const violations = negativeStock([
      stock('sku-1', { available: -1, sold: 11 }),
      stock('sku-2', { available: 11, reserved: -1 }),
    ]);

    expect(violations).toEqual([
      { id: 'sku-1', detail: expect.stringContaining('oversold') },
      { id: 'sku-2', detail: expect.stringContaining('reserved below 0') },
    ]);
  });

  it('when sold is what the CONFIRMED orders bought and only open orders hold reservations, then it matches the orders', () => {
    const orders = [
      order('o-1', 'CONFIRMED'),
      order('o-2', 'CANCELLED'),
      order('o-3', 'PENDING', { items: [{ sku: 'sku-1', quantity: 3 }] }),
    ];

    expect(stockOrderMismatches([stock('sku-1', { available: 5, reserved: 3, sold: 2 })], orders)).toEqual(
      [],
    );
  });

  it('when sold differs from the units of the CONFIRMED orders, then the sku is named with both', () => {
    const violations = stockOrderMismatches(
      [stock('sku-1', { available: 7, sold: 3 })],
      [order('o-1', 'CONFIRMED')],
    );

    expect(violations).toEqual([{ id: 'sku-1', detail: 'sold 3, the CONFIRMED orders bought 2' }]);
  });

  it('when stock stays reserved with every order final, or more than the open orders hold, then the sku is named', () => {
    const allFinal = stockOrderMismatches(
      [stock('sku-1', { available: 9, reserved: 1 })],
      [order('o-1', 'CANCELLED')],
    );
    const tooMuch = stockOrderMismatches(
      [stock('sku-1', { available: 5, reserved: 5 })],
      [order('o-2', 'PENDING')],
    );

    expect(allFinal).toEqual([
      { id: 'sku-1', detail: expect.stringContaining('still reserved with every order') },
    ]);
    expect(tooMuch).toEqual([{ id: 'sku-1', detail: 'reserved 5, the open orders hold at most 2' }]);
  });
});

describe('charges at the provider', () => {
  it('when a CONFIRMED order keeps one charge of its total and a CANCELLED one only declined or refunded ones, then nothing is found', () => {
    const orders = [order('o-1', 'CONFIRMED'), order('o-2', 'CANCELLED'), order('o-3', 'PENDING')];
    const charges = [
      charge('ch-1', 'o-1'),
      charge('ch-2', 'o-2', { status: 'failed' }),
      charge('ch-3', 'o-2', { refunded: true }),
    ];

    expect(providerChargeViolations(orders, charges)).toEqual([]);
  });

  it('when an order keeps two charges, then it is named with both', () => {
    const violations = providerChargeViolations(
      [order('o-1', 'PENDING')],
      [charge('ch-1', 'o-1'), charge('ch-2', 'o-1')],
    );

    expect(violations).toEqual([{ id: 'o-1', detail: 'PENDING: 2 kept charges ch-1, ch-2' }]);
  });

  it('when a CANCELLED order keeps a charge, then it is named with its reason and the charge', () => {
    const violations = providerChargeViolations(
      [order('o-1', 'CANCELLED', { failureReason: 'TIMEOUT' })],
      [charge('ch-1', 'o-1')],
    );

    expect(violations).toEqual([{ id: 'o-1', detail: 'CANCELLED TIMEOUT: keeps charge ch-1' }]);
  });

  it('when a CONFIRMED order keeps no charge, or one of another amount, then it is named', () => {
    const violations = providerChargeViolations(
      [order('o-1', 'CONFIRMED'), order('o-2', 'CONFIRMED')],
      [charge('ch-1', 'o-1', { refunded: true }), charge('ch-2', 'o-2', { amount: 999 })],
    );

    expect(violations).toEqual([
      { id: 'o-1', detail: 'CONFIRMED: no kept charge' },
      { id: 'o-2', detail: 'CONFIRMED: charged 999, the order totals 2500' },
    ]);
  });

  it('when a charge is kept for an order the order store does not know, or for no order, then it is named', () => {
    const violations = providerChargeViolations([], [charge('ch-1', 'ghost'), charge('ch-2', null)]);

    expect(violations).toEqual([
      { id: 'ghost', detail: 'kept charge ch-1 of an order the order store does not know' },
      { id: 'ch-2', detail: 'kept charge ch-2 names no order' },
    ]);
  });
});

describe('charges in the payment ledger', () => {
  it('when a CONFIRMED order is AUTHORIZED with a charge the provider keeps and a CANCELLED one is not, then nothing is found', () => {
    const orders = [order('o-1', 'CONFIRMED'), order('o-2', 'CANCELLED')];
    const payments = [payment('o-1', 'AUTHORIZED', 'ch-1'), payment('o-2', 'REFUNDED', 'ch-2')];

    expect(ledgerViolations(orders, payments, [charge('ch-1', 'o-1')])).toEqual([]);
  });

  it('when a CANCELLED order keeps its payment AUTHORIZED, then it is named', () => {
    const violations = ledgerViolations([order('o-1', 'CANCELLED')], [payment('o-1', 'AUTHORIZED', 'ch-1')]);

    expect(violations).toEqual([{ id: 'o-1', detail: 'CANCELLED: its payment pay-o-1 keeps charge ch-1' }]);
  });

  it('when a CONFIRMED order has no payment, or one not AUTHORIZED, then it is named', () => {
    const violations = ledgerViolations(
      [order('o-1', 'CONFIRMED'), order('o-2', 'CONFIRMED')],
      [payment('o-2', 'REFUNDED', 'ch-2')],
    );

    expect(violations).toEqual([
      { id: 'o-1', detail: 'CONFIRMED: no payment in the ledger' },
      { id: 'o-2', detail: 'CONFIRMED: its payment pay-o-2 is REFUNDED, not AUTHORIZED' },
    ]);
  });

  it('when the ledger keeps a charge the provider refunded, then the order is named; without the charges it is not compared', () => {
    const orders = [order('o-1', 'CONFIRMED')];
    const payments = [payment('o-1', 'AUTHORIZED', 'ch-1')];

    expect(ledgerViolations(orders, payments, [charge('ch-1', 'o-1', { refunded: true })])).toEqual([
      {
        id: 'o-1',
        detail: 'CONFIRMED: its payment pay-o-1 keeps charge ch-1, which the provider does not keep',
      },
    ]);
    expect(ledgerViolations(orders, payments)).toEqual([]);
  });
});

describe('orders final', () => {
  const now = Date.UTC(2026, 0, 1, 12, 0, 0);

  it('when every order is final, or non-final within its deadline and the grace, then nothing is found', () => {
    const orders = [
      order('o-1', 'CONFIRMED'),
      order('o-2', 'CANCELLED'),
      order('o-3', 'PENDING', { deadline: now + 1000 }),
      order('o-4', 'PENDING', { deadline: now - 4000 }),
    ];

    expect(overdueOrders(orders, now, 5000)).toEqual([]);
  });

  it('when an order is PENDING longer than the grace past its deadline, or has none, then it is named', () => {
    const violations = overdueOrders(
      [order('o-1', 'PENDING', { deadline: now - 6000 }), order('o-2', 'PENDING', { deadline: null })],
      now,
      5000,
    );

    expect(violations).toEqual([
      { id: 'o-1', detail: 'PENDING 6.0 s past its deadline 2026-01-01T11:59:54.000Z' },
      { id: 'o-2', detail: 'PENDING without a deadline' },
    ]);
  });

  it('when an order is parked in COMPENSATION_FAILED, then it is named', () => {
    const violations = overdueOrders(
      [order('o-1', 'COMPENSATION_FAILED', { failureReason: 'TIMEOUT' })],
      now,
      0,
    );

    expect(idsOf(violations)).toEqual(['o-1']);
    expect(violations[0]?.detail).toContain('COMPENSATION_FAILED TIMEOUT: its compensation gave up');
  });
});

describe('notifications', () => {
  it('when each outcome has one notification of its type and open orders none, then nothing is found', () => {
    const orders = [order('o-1', 'CONFIRMED'), order('o-2', 'CANCELLED'), order('o-3', 'PENDING')];
    const notifications = [
      notice('n-1', 'o-1', 'ORDER_CONFIRMED'),
      notice('n-2', 'o-2', 'ORDER_CANCELLED'),
      notice('n-3', null, 'WELCOME'),
    ];

    expect(notificationViolations(orders, notifications)).toEqual([]);
  });

  it('when an outcome is notified twice, not at all, or with the wrong type, then the order is named', () => {
    const violations = notificationViolations(
      [order('o-1', 'CONFIRMED'), order('o-2', 'CANCELLED'), order('o-3', 'CANCELLED')],
      [
        notice('n-1', 'o-1', 'ORDER_CONFIRMED'),
        notice('n-2', 'o-1', 'ORDER_CONFIRMED'),
        notice('n-3', 'o-3', 'ORDER_CONFIRMED'),
      ],
    );

    expect(violations).toEqual([
      {
        id: 'o-1',
        detail: 'CONFIRMED: notifications ["ORDER_CONFIRMED","ORDER_CONFIRMED"], not ["ORDER_CONFIRMED"]',
      },
      { id: 'o-2', detail: 'CANCELLED: notifications [], not ["ORDER_CANCELLED"]' },
      { id: 'o-3', detail: 'CANCELLED: notifications ["ORDER_CONFIRMED"], not ["ORDER_CANCELLED"]' },
    ]);
  });

  it('when an order without an outcome is notified, or an unknown order, then it is named', () => {
    const violations = notificationViolations(
      [order('o-1', 'PENDING')],
      [notice('n-1', 'o-1', 'ORDER_CONFIRMED'), notice('n-2', 'ghost', 'ORDER_CANCELLED')],
    );

    expect(violations).toEqual([
      { id: 'o-1', detail: 'PENDING: notified ["ORDER_CONFIRMED"] without an outcome' },
      { id: 'ghost', detail: 'notification n-2 of an order the order store does not know' },
    ]);
  });
});

describe('outbox', () => {
  const now = Date.UTC(2026, 0, 1, 12, 0, 0);
  const event = (eventId: string, ageMs: number) => ({
    store: 'order.orders',
    aggregateId: `order-${eventId}`,
    eventId,
    type: 'OrderPlaced',
    occurredAt: now - ageMs,
  });

  it('when nothing waits, or only events younger than the grace, then nothing is found', () => {
    expect(unpublishedOutbox([], now, 5000)).toEqual([]);
    expect(unpublishedOutbox([event('e-1', 4000)], now, 5000)).toEqual([]);
  });

  it('when an event waits longer than the grace, then its aggregate is named with the event', () => {
    expect(unpublishedOutbox([event('e-1', 4000), event('e-2', 12_000)], now, 5000)).toEqual([
      { id: 'order-e-2', detail: 'OrderPlaced e-2 in order.orders unpublished for 12.0 s' },
    ]);
  });
});

describe('dead letters', () => {
  const letter = (offset: string, headers: Record<string, string>): DeadLetterFacts => ({
    topic: 'orders.events.v1.dlq',
    partition: 0,
    offset,
    headers: { ce_id: `event-${offset}`, ...headers },
  });

  it('when each has a reason and attempts, or a reason and was parked without a try, then nothing is found', () => {
    const letters = [
      letter('0', {
        'dlq-reason': 'handler failed: Error: x',
        'dlq-attempts': '4',
        'dlq-group': 'notification',
      }),
      letter('1', { 'dlq-reason': 'invalid message: data.orderId: Required' }),
    ];

    expect(unexplainedDeadLetters(letters)).toEqual([]);
  });

  it('when one has no reason, no attempts though a handler tried it, or attempts that are no count, then it is named by its position', () => {
    const violations = unexplainedDeadLetters([
      letter('0', { 'dlq-attempts': '2', 'dlq-group': 'notification' }),
      letter('1', { 'dlq-reason': 'handler failed: Error: x', 'dlq-group': 'notification' }),
      letter('2', { 'dlq-reason': ' ', 'dlq-attempts': 'many' }),
    ]);

    expect(violations).toEqual([
      { id: 'orders.events.v1.dlq 0:0', detail: 'ce_id event-0: no dlq-reason' },
      {
        id: 'orders.events.v1.dlq 0:1',
        detail: 'ce_id event-1: no dlq-attempts (a handler of notification tried it)',
      },
      {
        id: 'orders.events.v1.dlq 0:2',
        detail: 'ce_id event-2: no dlq-reason; dlq-attempts "many" is not a count ≥ 1',
      },
    ]);
  });
});

describe('consumer lag', () => {
  it('when every partition of every group is consumed to its end, then nothing is found', () => {
    expect(laggingGroups([{ groupId: 'order', topic: 't', partition: 0, lag: 0 }])).toEqual([]);
  });

  it('when a group is behind, then it is named with its lag per partition', () => {
    const violations = laggingGroups([
      { groupId: 'order', topic: 't', partition: 0, lag: 0 },
      { groupId: 'payment', topic: 't', partition: 0, lag: 2 },
      { groupId: 'payment', topic: 'u', partition: 1, lag: 1 },
    ]);

    expect(violations).toEqual([{ id: 'payment', detail: 'lag 3 (t/0: 2, u/1: 1)' }]);
  });
});
