import type { DurableIdempotencyRecords, IdempotencyRecord, IdempotencyScope } from '@platform/idempotency';
import type { OutboxStore } from '@platform/messaging';
import type { SagaStart, SagaState, SagaStore } from '@platform/saga';
import type { PlacedOrder } from '../domain/order';
import type { OrderSagaData } from '../domain/order-saga-data';

/** An order as read back: as placed, with its saga's state. */
export interface StoredOrder {
  order: PlacedOrder;
  /** Absent only on an order stored without one (none is, since the saga starts in the insert). */
  saga: SagaState<OrderSagaData> | undefined;
  /** The trace of the request that placed it. */
  traceparent: string | null;
}

/** Where a page of a customer's orders ends: the next page starts after it (newest first). */
export interface OrderPosition {
  createdAt: Date;
  orderId: string;
}

/** Everything written by the one insert that places an order. */
export interface NewOrder {
  order: PlacedOrder;
  /** The Idempotency-Key's durable record, with the response to replay. */
  idempotency: { scope: IdempotencyScope; record: IdempotencyRecord };
  traceparent: string | null;
  /** The saga's first state and messages (OrderPlaced, ReserveStock), saved in the same insert. */
  saga: SagaStart<OrderSagaData>;
}

/**
 * The orders' one collection, and its one writer: each document holds the order, its
 * Idempotency-Key record, its saga and its outbox, so placing an order (and starting its saga) is
 * one single-document insert and each saga transition one single-document update. `sagas`,
 * `outbox` and `idempotencyRecords` are the ports this repository offers the saga, outbox and
 * idempotency libraries over those documents. The in-memory and MongoDB adapters pass one
 * contract suite.
 */
export interface OrdersRepository {
  readonly sagas: SagaStore;
  readonly outbox: OutboxStore;
  /** The Idempotency-Key records written by `insert`, as IdempotentRequests reads them. */
  readonly idempotencyRecords: DurableIdempotencyRecords;
  ensureIndexes(): Promise<void>;
  /** @throws DuplicateIdempotencyKeyError when the user already placed an order with this key */
  insert(order: NewOrder): Promise<void>;
  find(orderId: string): Promise<StoredOrder | undefined>;
  /** The user's orders, newest first (createdAt, then orderId, descending), after `after`. */
  pageOf(userId: string, after: OrderPosition | undefined, limit: number): Promise<StoredOrder[]>;
}
