import type { SagaState, SagaStatus } from '@platform/saga';
import type { OrderLine, OrderStatus, PlacedOrder } from './order';
import type { OrderSagaData } from './order-saga-data';

/** One entry of an order's `history`: the status it moved to, and when (ISO 8601). */
export interface StatusChange {
  status: OrderStatus;
  at: string;
}

/** `GET /api/orders/{orderId}` (docs/api.md#orders). */
export interface OrderView {
  orderId: string;
  status: OrderStatus;
  items: OrderLine[];
  totalCents: number;
  currency: string;
  failureReason?: string;
  paymentId?: string;
  createdAt: string;
  updatedAt: string;
  history: StatusChange[];
}

/** The 202 of `POST /api/orders` (docs/api.md#orders), replayed as it was for a repeated Idempotency-Key. */
export interface PlacedOrderView {
  orderId: string;
  status: 'PENDING';
  items: OrderLine[];
  totalCents: number;
  currency: string;
  createdAt: string;
}

/** A saga still running or compensating is an order still PENDING: the customer waits either way. */
export const orderStatusOf: Record<SagaStatus, OrderStatus> = {
  RUNNING: 'PENDING',
  COMPENSATING: 'PENDING',
  COMPLETED: 'CONFIRMED',
  CANCELLED: 'CANCELLED',
  COMPENSATION_FAILED: 'COMPENSATION_FAILED',
};

/**
 * The order's status changes, derived from its saga's transitions: PENDING when it was placed,
 * then one entry each time the saga's status maps to another order status. Steps that leave the
 * order PENDING (the next command, a compensation starting) are not status changes.
 */
export function statusHistoryOf(
  order: PlacedOrder,
  saga: SagaState<OrderSagaData> | undefined,
): StatusChange[] {
  const history: StatusChange[] = [{ status: 'PENDING', at: order.createdAt.toISOString() }];
  let current: OrderStatus = 'PENDING';
  for (const transition of saga?.history ?? []) {
    const status = orderStatusOf[transition.to];
    if (status === current) continue;
    history.push({ status, at: new Date(transition.at).toISOString() });
    current = status;
  }
  return history;
}

/** What a reader of the order sees: the order as placed, its status and outcome as its saga says. */
export function orderViewOf(order: PlacedOrder, saga: SagaState<OrderSagaData> | undefined): OrderView {
  const history = statusHistoryOf(order, saga);
  const status = history.at(-1)?.status ?? 'PENDING';
  const failed = status === 'CANCELLED' || status === 'COMPENSATION_FAILED';
  const failureReason = failed ? (saga?.reason ?? undefined) : undefined;
  const paymentId = saga?.data.paymentId;
  const lastTransition = saga?.history.at(-1)?.at ?? order.createdAt.getTime();
  return {
    orderId: order.orderId,
    status,
    items: order.items,
    totalCents: order.totalCents,
    currency: order.currency,
    ...(failureReason !== undefined && { failureReason }),
    ...(paymentId !== undefined && { paymentId }),
    createdAt: order.createdAt.toISOString(),
    updatedAt: new Date(Math.max(lastTransition, order.createdAt.getTime())).toISOString(),
    history,
  };
}

export function placedOrderViewOf(order: PlacedOrder): PlacedOrderView {
  return {
    orderId: order.orderId,
    status: 'PENDING',
    items: order.items,
    totalCents: order.totalCents,
    currency: order.currency,
    createdAt: order.createdAt.toISOString(),
  };
}
