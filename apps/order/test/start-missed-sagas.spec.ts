import { SagaOrchestrator } from '@platform/saga';
import type { OrderSagaData } from '../src/domain/order-saga-data';
import { InMemoryOrdersRepository } from '../src/orders/in-memory-orders.repository';
import { orderSagaDefinition } from '../src/saga/order-saga';
import { StartMissedSagas } from '../src/saga/start-missed-sagas';
import { PlaceOrder } from '../src/place-order/place-order';
import type { PriceList } from '../src/pricing/price-list.port';
import { aNewOrder, aPlacedOrder } from './support/builders';

const silent = { log: () => undefined, warn: () => undefined, error: () => undefined };

describe('the sweep that starts the sagas a crash left unstarted', () => {
  const placedAt = new Date('2026-05-01T10:00:00.000Z');
  let now: Date;
  let orders: InMemoryOrdersRepository;
  let orchestrator: SagaOrchestrator<OrderSagaData>;
  let sweep: StartMissedSagas;

  beforeEach(() => {
    now = placedAt;
    orders = new InMemoryOrdersRepository();
    orchestrator = new SagaOrchestrator<OrderSagaData>({
      definition: orderSagaDefinition({ stockMs: 30_000, paymentMs: 8000, compensationMs: 10_000 }),
      store: orders.sagas,
      logger: silent,
      clock: () => now.getTime(),
    });
    sweep = new StartMissedSagas(orders, orchestrator, 5000, () => now);
  });

  const commandsOf = async (orderId: string) =>
    (orders.documents.get(orderId)?.outbox ?? []).map((event) => ({ type: event.type, data: event.data }));

  it('when an order without a saga is older than the grace period, then its saga starts with OrderPlaced and ReserveStock, in the trace of its request', async () => {
    const traceparent = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';
    const order = aPlacedOrder({ createdAt: placedAt });
    await orders.insert(aNewOrder(order, { traceparent }));
    now = new Date(placedAt.getTime() + 5000);

    expect(await sweep.run()).toBe(1);
    expect((await orders.find(order.orderId))?.saga).toMatchObject({
      status: 'RUNNING',
      step: 'reserve-stock',
    });
    expect(await commandsOf(order.orderId)).toEqual([
      {
        type: 'OrderPlaced',
        data: {
          orderId: order.orderId,
          userId: order.userId,
          items: order.items,
          totalCents: order.totalCents,
          currency: order.currency,
        },
      },
      { type: 'ReserveStock', data: { orderId: order.orderId, items: [{ sku: 'TEA-GREEN', quantity: 2 }] } },
    ]);
    expect(orders.documents.get(order.orderId)?.outbox?.[0]?.traceparent).toBe(traceparent);
  });

  it('when the order is younger than the grace period, then it is left to the request still starting it', async () => {
    const order = aPlacedOrder({ createdAt: placedAt });
    await orders.insert(aNewOrder(order));
    now = new Date(placedAt.getTime() + 4999);
    expect(await sweep.run()).toBe(0);
    expect((await orders.find(order.orderId))?.saga).toBeUndefined();
  });

  it('when the saga started already, then the sweep leaves it alone', async () => {
    const order = aPlacedOrder({ createdAt: placedAt });
    await orders.insert(aNewOrder(order));
    await orchestrator.start(order.orderId, {
      orderId: order.orderId,
      userId: order.userId,
      items: [{ sku: 'TEA-GREEN', quantity: 2, unitPriceCents: 650 }],
      amountCents: 1300,
      currency: 'EUR',
      paymentMethod: 'tok_visa',
    });
    now = new Date(placedAt.getTime() + 60_000);
    expect(await sweep.run()).toBe(0);
    expect((await commandsOf(order.orderId)).map((command) => command.type)).toEqual([
      'OrderPlaced',
      'ReserveStock',
    ]);
  });

  it('when one start fails, then the others still start and the failed one is tried at the next sweep', async () => {
    const first = aPlacedOrder({ createdAt: placedAt });
    const second = aPlacedOrder({ createdAt: placedAt });
    await orders.insert(aNewOrder(first));
    await orders.insert(aNewOrder(second));
    now = new Date(placedAt.getTime() + 10_000);
    let failing = true;
    const flaky = new StartMissedSagas(
      orders,
      {
        start: (sagaId, data, traceparent) => {
          if (sagaId === first.orderId && failing) return Promise.reject(new Error('store unavailable'));
          return orchestrator.start(sagaId, data, traceparent);
        },
      },
      5000,
      () => now,
    );
    expect(await flaky.run()).toBe(1);
    expect((await orders.find(second.orderId))?.saga?.status).toBe('RUNNING');
    failing = false;
    expect(await flaky.run()).toBe(1);
    expect((await orders.find(first.orderId))?.saga?.status).toBe('RUNNING');
  });
});

describe('placing an order when its saga cannot start', () => {
  it('when the start after the insert fails, then the order is still placed (202), and the sweep starts its saga later', async () => {
    const orders = new InMemoryOrdersRepository();
    const placedAt = new Date('2026-05-01T10:00:00.000Z');
    let now = placedAt;
    const orchestrator = new SagaOrchestrator<OrderSagaData>({
      definition: orderSagaDefinition({ stockMs: 30_000, paymentMs: 8000, compensationMs: 10_000 }),
      store: orders.sagas,
      logger: silent,
      clock: () => now.getTime(),
    });
    const prices: PriceList = {
      pricesOf: async () => new Map([['TEA-GREEN', { sku: 'TEA-GREEN', priceCents: 650, currency: 'EUR' }]]),
      close: async () => undefined,
    };
    // The process "dies" between the insert and the start: the start never happens.
    const crashing = { start: () => Promise.reject(new Error('process gone')) };
    const response = await new PlaceOrder(orders, prices, crashing, () => now).execute(
      { items: [{ sku: 'TEA-GREEN', quantity: 2 }], paymentMethod: 'tok_visa' },
      { userId: 'alice', key: 'key-1', fingerprint: 'f-1' },
      null,
    );
    expect(response.status).toBe(202);
    const { orderId } = response.body as { orderId: string };
    expect((await orders.find(orderId))?.saga).toBeUndefined();
    expect((await orders.idempotencyRecords.find('alice', 'key-1'))?.response).toEqual(response);

    now = new Date(placedAt.getTime() + 5000);
    expect(await new StartMissedSagas(orders, orchestrator, 5000, () => now).run()).toBe(1);
    expect((await orders.find(orderId))?.saga?.status).toBe('RUNNING');
  });
});
