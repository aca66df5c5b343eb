import { Registry } from 'prom-client';
import { startSaga, transition, type SagaState } from '@platform/saga';
import type { OrderSagaData } from '../src/domain/order-saga-data';
import { orderCompletionMetrics } from '../src/saga/order-completion-metrics';
import { orderSagaDefinition } from '../src/saga/order-saga';

/** The order saga's own transitions, each handed to the metric as the orchestrator's onSaved would. */
describe('order_completion_duration_seconds', () => {
  const definition = orderSagaDefinition({ stockMs: 30_000, paymentMs: 8000, compensationMs: 10_000 });
  const placedAt = Date.parse('2026-12-04T21:14:28.000Z');
  const data: OrderSagaData = {
    orderId: 'order-1',
    userId: 'alice',
    items: [{ sku: 'TEA-GREEN', quantity: 2, unitPriceCents: 650 }],
    amountCents: 1300,
    currency: 'EUR',
    paymentMethod: 'tok_visa',
  };

  let registry: Registry;
  let observe: (state: SagaState<OrderSagaData>) => void;
  let state: SagaState<OrderSagaData>;
  let replies = 0;

  beforeEach(() => {
    registry = new Registry();
    observe = orderCompletionMetrics(registry);
    state = startSaga(definition, data.orderId, data, placedAt).state;
    observe(state);
  });

  /** Feeds a reply `secondsAfterPlacement` after the order was placed and reports the saved state. */
  function reply(type: string, secondsAfterPlacement: number, replyData: object = { orderId: data.orderId }) {
    const next = transition(
      definition,
      state,
      { kind: 'reply', reply: { id: `reply-${(replies += 1)}`, type, data: replyData } },
      placedAt + secondsAfterPlacement * 1000,
    );
    expect(next.changed).toBe(true);
    state = next.state;
    observe(state);
  }

  async function observations() {
    const metric = await registry.getSingleMetric('order_completion_duration_seconds')?.get();
    const counts = (metric?.values ?? []).filter((value) =>
      (value as { metricName?: string }).metricName?.endsWith('_count'),
    );
    const sums = (metric?.values ?? []).filter((value) =>
      (value as { metricName?: string }).metricName?.endsWith('_sum'),
    );
    return counts.map((count) => ({
      labels: count.labels,
      count: count.value,
      seconds: sums.find((sum) => JSON.stringify(sum.labels) === JSON.stringify(count.labels))?.value,
    }));
  }

  it('when an order is confirmed, then its time from placement is observed once under CONFIRMED', async () => {
    reply('StockReserved', 0.2);
    reply('PaymentAuthorized', 0.9, { orderId: data.orderId, paymentId: 'pay-1' });
    expect(await observations()).toEqual([]);
    reply('StockCommitted', 1.4);

    expect(await observations()).toEqual([
      { labels: { outcome: 'CONFIRMED', reason: 'none' }, count: 1, seconds: 1.4 },
    ]);
  });

  it('when an order is cancelled after its compensation, then it is observed under CANCELLED with the reason, and a late reply afterwards adds nothing', async () => {
    reply('StockReserved', 0.2);
    reply('PaymentDeclined', 0.7);
    expect(state.status).toBe('COMPENSATING');
    expect(await observations()).toEqual([]);
    reply('StockReleased', 1.1);
    expect(state.status).toBe('CANCELLED');
    // A charge whose authorization arrives after the order gave up on it: refunded, the order stays CANCELLED.
    reply('PaymentAuthorized', 12, { orderId: data.orderId, paymentId: 'pay-late' });

    expect(await observations()).toEqual([
      { labels: { outcome: 'CANCELLED', reason: 'PAYMENT_DECLINED' }, count: 1, seconds: 1.1 },
    ]);
  });
});
