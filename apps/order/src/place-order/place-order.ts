import { randomUUID } from 'node:crypto';
import type { IdempotentRequest, StoredResponse } from '@platform/idempotency';
import type { SagaOrchestrator, UnfinishedSagaLimit } from '@platform/saga';
import { OrdersBacklogFullError } from '../domain/errors';
import type { PlacedOrder } from '../domain/order';
import type { OrderSagaData } from '../domain/order-saga-data';
import { priceOrder } from '../domain/priced-order';
import { placedOrderViewOf } from '../domain/order-view';
import type { OrdersRepository } from '../orders/orders.repository.port';
import type { PriceList } from '../pricing/price-list.port';
import { orderSagaDataOf } from '../saga/order-saga-data-of';
import type { PlaceOrderRequest } from './place-order.request';

/**
 * Places an order: prices it, then inserts it with its Idempotency-Key record, its saga's first
 * state and its first messages (OrderPlaced, ReserveStock) in one write, so an order exists if and
 * only if its saga runs. It runs inside IdempotentRequests, so a failure before the insert
 * (unknown sku, prices unavailable, too many orders unfinished) stores nothing and the same key
 * can be used again. An order is admitted only while fewer than the limit are unfinished (`admit`,
 * asked first): the backlog stays small enough for its sagas to finish before their deadlines.
 */
export class PlaceOrder {
  constructor(
    private readonly orders: OrdersRepository,
    private readonly prices: PriceList,
    private readonly orchestrator: Pick<SagaOrchestrator<OrderSagaData>, 'begin' | 'started'>,
    private readonly unfinishedLimit: Pick<UnfinishedSagaLimit, 'admitOne'>,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  /**
   * Refuses (OrdersBacklogFullError, 503 `overloaded`) while the limit's count of orders is
   * unfinished. Asked before anything else, the Idempotency-Key's lookup included: under overload
   * the store is the bottleneck, and a refusal that reads it would queue with the work it refuses.
   */
  async admit(): Promise<void> {
    if (!(await this.unfinishedLimit.admitOne())) throw new OrdersBacklogFullError();
  }

  async execute(
    request: PlaceOrderRequest,
    idempotent: IdempotentRequest,
    traceparent: string | null,
  ): Promise<StoredResponse> {
    const prices = await this.prices.pricesOf(request.items.map((line) => line.sku));
    const order: PlacedOrder = {
      orderId: randomUUID(),
      userId: idempotent.userId,
      ...priceOrder(request.items, prices),
      paymentMethod: request.paymentMethod,
      createdAt: this.clock(),
    };
    const response: StoredResponse = {
      status: 202,
      body: placedOrderViewOf(order),
      headers: { Location: `/api/orders/${order.orderId}` },
    };
    const saga = this.orchestrator.begin(order.orderId, orderSagaDataOf(order));
    await this.orders.insert({
      order,
      idempotency: {
        scope: { userId: idempotent.userId, key: idempotent.key },
        record: { fingerprint: idempotent.fingerprint, response },
      },
      traceparent,
      saga,
    });
    this.orchestrator.started(saga.state);
    return response;
  }
}
