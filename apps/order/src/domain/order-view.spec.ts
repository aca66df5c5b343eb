import type { SagaHistoryEntry, SagaState, SagaStatus } from '@platform/saga';
import type { PlacedOrder } from './order';
import type { OrderSagaData } from './order-saga-data';
import { orderViewOf, placedOrderViewOf, statusHistoryOf } from './order-view';

const createdAt = new Date('2026-05-01T10:00:00.000Z');
const t = (seconds: number) => createdAt.getTime() + seconds * 1000;
const iso = (seconds: number) => new Date(t(seconds)).toISOString();

const order: PlacedOrder = {
  orderId: 'order-1',
  userId: 'alice',
  items: [{ sku: 'TEA-GREEN', quantity: 2, unitPriceCents: 650 }],
  totalCents: 1300,
  currency: 'EUR',
  paymentMethod: 'tok_visa',
  createdAt,
};

/** A saga whose history visits `steps` (status, seconds after creation), ending in the last one. */
function sagaThrough(
  steps: [SagaStatus, number][],
  overrides: Partial<SagaState<OrderSagaData>> = {},
): SagaState<OrderSagaData> {
  let from: SagaStatus | null = null;
  const history: SagaHistoryEntry[] = steps.map(([to, seconds]) => {
    const entry = { from, to, step: 'some-step', at: t(seconds) };
    from = to;
    return entry;
  });
  return {
    sagaId: 'order-1',
    saga: 'order',
    status: (steps.at(-1) ?? ['RUNNING', 0])[0],
    data: {
      orderId: 'order-1',
      userId: 'alice',
      items: [{ sku: 'TEA-GREEN', quantity: 2, unitPriceCents: 650 }],
      amountCents: 1300,
      currency: 'EUR',
      paymentMethod: 'tok_visa',
    },
    step: 'some-step',
    deadline: null,
    started: [],
    done: [],
    toUndo: [],
    compensationAttempts: 0,
    reason: null,
    handledReplies: [],
    history,
    version: steps.length,
    ...overrides,
  };
}

describe('an order as its readers see it, derived from its saga', () => {
  it('when the saga has not started yet, then the order is PENDING since its creation', () => {
    expect(orderViewOf(order, undefined)).toEqual({
      orderId: 'order-1',
      status: 'PENDING',
      items: order.items,
      totalCents: 1300,
      currency: 'EUR',
      createdAt: iso(0),
      updatedAt: iso(0),
      history: [{ status: 'PENDING', at: iso(0) }],
    });
  });

  it('when the saga runs its steps, then the order stays PENDING with a single history entry', () => {
    const saga = sagaThrough([
      ['RUNNING', 0.1],
      ['RUNNING', 1],
      ['RUNNING', 2],
    ]);
    const view = orderViewOf(order, saga);
    expect(view.status).toBe('PENDING');
    expect(view.history).toEqual([{ status: 'PENDING', at: iso(0) }]);
    expect(view.updatedAt).toBe(iso(2));
  });

  it('when the saga completed, then the order is CONFIRMED with its payment id and no failure reason', () => {
    const saga = sagaThrough(
      [
        ['RUNNING', 0],
        ['RUNNING', 1],
        ['RUNNING', 2],
        ['COMPLETED', 3],
      ],
      { data: { ...sagaThrough([['RUNNING', 0]]).data, paymentId: 'pay-1' } },
    );
    const view = orderViewOf(order, saga);
    expect(view).toMatchObject({ status: 'CONFIRMED', paymentId: 'pay-1', updatedAt: iso(3) });
    expect(view).not.toHaveProperty('failureReason');
    expect(view.history).toEqual([
      { status: 'PENDING', at: iso(0) },
      { status: 'CONFIRMED', at: iso(3) },
    ]);
  });

  it('when the saga compensated and cancelled, then the order is CANCELLED with the saga reason; compensating was still PENDING', () => {
    const saga = sagaThrough(
      [
        ['RUNNING', 0],
        ['RUNNING', 1],
        ['COMPENSATING', 2],
        ['CANCELLED', 4],
      ],
      { reason: 'PAYMENT_DECLINED' },
    );
    expect(statusHistoryOf(order, saga)).toEqual([
      { status: 'PENDING', at: iso(0) },
      { status: 'CANCELLED', at: iso(4) },
    ]);
    expect(orderViewOf(order, saga)).toMatchObject({
      status: 'CANCELLED',
      failureReason: 'PAYMENT_DECLINED',
    });
  });

  it('when a late reply is compensated after the cancellation, then the history gains no entry but updatedAt moves', () => {
    const saga = sagaThrough(
      [
        ['RUNNING', 0],
        ['COMPENSATING', 8],
        ['CANCELLED', 9],
        ['CANCELLED', 12],
      ],
      { reason: 'TIMEOUT' },
    );
    const view = orderViewOf(order, saga);
    expect(view.history.map((change) => change.status)).toEqual(['PENDING', 'CANCELLED']);
    expect(view.updatedAt).toBe(iso(12));
  });

  it('when the compensation kept failing, then the order shows COMPENSATION_FAILED with the reason it was cancelling for', () => {
    const saga = sagaThrough(
      [
        ['RUNNING', 0],
        ['COMPENSATING', 1],
        ['COMPENSATION_FAILED', 60],
      ],
      { reason: 'PAYMENT_UNAVAILABLE' },
    );
    expect(orderViewOf(order, saga)).toMatchObject({
      status: 'COMPENSATION_FAILED',
      failureReason: 'PAYMENT_UNAVAILABLE',
      history: [
        { status: 'PENDING', at: iso(0) },
        { status: 'COMPENSATION_FAILED', at: iso(60) },
      ],
    });
  });

  it('when the order was just placed, then the 202 body is PENDING with its priced lines', () => {
    expect(placedOrderViewOf(order)).toEqual({
      orderId: 'order-1',
      status: 'PENDING',
      items: order.items,
      totalCents: 1300,
      currency: 'EUR',
      createdAt: iso(0),
    });
  });
});
