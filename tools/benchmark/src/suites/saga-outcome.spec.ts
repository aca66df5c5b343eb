import {
  confirmedQuantityOf,
  formatCounts,
  isFinal,
  sagaOutcomeOf,
  type OrderSnapshot,
} from './saga-outcome.ts';

const at = (ms: number) => new Date(Date.UTC(2030, 0, 1) + ms).toISOString();

function order(
  id: string,
  createdMs: number,
  changes: [string, number][],
  extra: Partial<OrderSnapshot> = {},
): OrderSnapshot {
  const history = [
    { status: 'PENDING', at: at(createdMs) },
    ...changes.map(([status, ms]) => ({ status, at: at(ms) })),
  ];
  return {
    orderId: id,
    status: history.at(-1)?.status ?? 'PENDING',
    createdAt: at(createdMs),
    items: [{ sku: 'SKU-1', quantity: 2 }],
    history,
    ...extra,
  };
}

describe('sagaOutcomeOf', () => {
  it('when orders confirmed and cancelled, then it counts them, times the confirmations and the completion rate', () => {
    const outcome = sagaOutcomeOf([
      order('a', 0, [['CONFIRMED', 120]]),
      order('b', 500, [['CONFIRMED', 800]]),
      order('c', 1000, [['CANCELLED', 2000]], { failureReason: 'OUT_OF_STOCK' }),
      order('d', 1500, [['CANCELLED', 1900]], { failureReason: 'OUT_OF_STOCK' }),
    ]);
    expect(outcome).toEqual({
      orders: 4,
      byStatus: { CONFIRMED: 2, CANCELLED: 2 },
      cancelledBecause: { OUT_OF_STOCK: 2 },
      confirmLatenciesMs: [120, 300],
      // 4 final orders between the first createdAt (0) and the last final status (2 s).
      completedPerSecond: 2,
    });
  });

  it('when an order is still pending, then it counts as pending and not in the completion rate', () => {
    const outcome = sagaOutcomeOf([order('a', 0, [['CONFIRMED', 1000]]), order('b', 0, [])]);
    expect(outcome.byStatus).toEqual({ CONFIRMED: 1, PENDING: 1 });
    expect(outcome.completedPerSecond).toBe(1);
  });

  it('when no order is final, then there is no completion rate', () => {
    expect(sagaOutcomeOf([order('a', 0, [])]).completedPerSecond).toBeNaN();
    expect(sagaOutcomeOf([]).completedPerSecond).toBeNaN();
  });
});

describe('isFinal', () => {
  it('when confirmed, cancelled or failed to compensate, then it is final; pending is not', () => {
    expect(
      ['CONFIRMED', 'CANCELLED', 'COMPENSATION_FAILED', 'PENDING'].map((status) =>
        isFinal({ ...order('a', 0, []), status }),
      ),
    ).toEqual([true, true, true, false]);
  });
});

describe('confirmedQuantityOf', () => {
  it('when summing what was sold, then only confirmed lines of that sku count', () => {
    const orders = [
      order('a', 0, [['CONFIRMED', 1]]),
      order('b', 0, [['CANCELLED', 1]]),
      order('c', 0, [['CONFIRMED', 1]], {
        items: [
          { sku: 'OTHER', quantity: 5 },
          { sku: 'SKU-1', quantity: 1 },
        ],
      }),
    ];
    expect(confirmedQuantityOf(orders, 'SKU-1')).toBe(3);
  });
});

describe('formatCounts', () => {
  it('when there are counts, then the largest comes first; otherwise "none"', () => {
    expect(formatCounts({ TIMEOUT: 1, OUT_OF_STOCK: 4 })).toBe('4× OUT_OF_STOCK, 1× TIMEOUT');
    expect(formatCounts({})).toBe('none');
  });
});
