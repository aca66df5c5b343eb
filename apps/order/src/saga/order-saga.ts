import type { OrderCancellationReason } from '@platform/contracts';
import {
  defineSaga,
  timeoutReason,
  type CompensationCause,
  type OutgoingCommand,
  type SagaDefinition,
  type SagaState,
} from '@platform/saga';
import type { OrderSagaData } from '../domain/order-saga-data';

/** The step deadlines, from ORDER_STOCK_TIMEOUT_MS, ORDER_PAYMENT_TIMEOUT_MS and ORDER_COMPENSATION_TIMEOUT_MS. */
export interface OrderSagaTimeouts {
  stockMs: number;
  paymentMs: number;
  compensationMs: number;
}

// The saga's failure reasons are the contract's cancellation reasons, checked here by the compiler.
const outOfStock: OrderCancellationReason = 'OUT_OF_STOCK';
const paymentDeclined: OrderCancellationReason = 'PAYMENT_DECLINED';
const paymentUnavailable: OrderCancellationReason = 'PAYMENT_UNAVAILABLE';
const timedOut: OrderCancellationReason = timeoutReason;

const refundReason = (cause: CompensationCause) =>
  cause.kind === 'late-reply'
    ? 'LATE_AUTHORIZATION'
    : cause.kind === 'timeout'
      ? 'TIMEOUT'
      : 'ORDER_CANCELLED';

/**
 * The order saga of docs/events.md#order-saga: ReserveStock → AuthorizePayment → CommitStock, each
 * step followed by the compensation that undoes it. Reserved stock is released (and its release
 * awaited); a refund is not awaited: the payment service records every RefundPayment before it
 * tries it and its reconciler retries it until the provider has refunded, however long the provider
 * is down, so the saga need not hold the order open for it. Both the reservation and the payment
 * may have happened when their reply is late, so their deadlines compensate them too; a success
 * that arrives after that gets its own compensation (a late PaymentAuthorized its RefundPayment).
 * Once paid, nothing cancels the order any more: CommitStock is retried until it is answered.
 */
export function orderSagaDefinition(timeouts: OrderSagaTimeouts): SagaDefinition<OrderSagaData> {
  return defineSaga<OrderSagaData>({
    name: 'order',
    steps: [
      {
        name: 'reserve-stock',
        command: ({ orderId, items }) => ({
          type: 'ReserveStock',
          data: { orderId, items: items.map(({ sku, quantity }) => ({ sku, quantity })) },
        }),
        replies: { StockReserved: 'success', StockRejected: { fail: outOfStock } },
        compensation: {
          command: ({ orderId }) => ({ type: 'ReleaseStock', data: { orderId } }),
          replies: { StockReleased: 'success' },
          timeoutMs: timeouts.compensationMs,
        },
        timeoutMs: timeouts.stockMs,
        compensateOnTimeout: true,
      },
      {
        name: 'authorize-payment',
        command: ({ orderId, userId, amountCents, currency, paymentMethod }) => ({
          type: 'AuthorizePayment',
          data: { orderId, userId, amountCents, currency, paymentMethod },
        }),
        replies: {
          PaymentAuthorized: (reply, data) => ({
            success: true,
            data: { ...data, paymentId: (reply.data as { paymentId: string }).paymentId },
          }),
          PaymentDeclined: { fail: paymentDeclined },
          PaymentFailed: { fail: paymentUnavailable },
        },
        compensation: {
          command: (data, cause) => {
            // A late authorization names its own charge; otherwise the one this saga learnt, if any
            // (none after a timeout: the payment service then refunds whatever it authorized).
            const paymentId =
              cause.kind === 'late-reply'
                ? (cause.reply.data as { paymentId: string }).paymentId
                : data.paymentId;
            return {
              type: 'RefundPayment',
              data: { orderId: data.orderId, ...(paymentId && { paymentId }), reason: refundReason(cause) },
            };
          },
        },
        timeoutMs: timeouts.paymentMs,
        compensateOnTimeout: true,
      },
      {
        name: 'commit-stock',
        command: ({ orderId }) => ({ type: 'CommitStock', data: { orderId } }),
        replies: { StockCommitted: 'success' },
        timeoutMs: timeouts.stockMs,
        // Past the pivot: the customer has paid and the stock is reserved for this order, so the
        // commit is sent again until inventory answers rather than cancelled and refunded (a
        // commit that happened with its reply late would leave stock sold to a cancelled order).
        retryOnTimeout: true,
      },
    ],
    onStarted: placedOf,
    onFinished: outcomeOf,
  });
}

/** OrderPlaced, among the saga's first messages: saved in the insert that places the order. */
function placedOf({ data }: SagaState<OrderSagaData>): OutgoingCommand[] {
  const { orderId, userId, items, amountCents, currency } = data;
  return [{ type: 'OrderPlaced', data: { orderId, userId, items, totalCents: amountCents, currency } }];
}

/** OrderConfirmed or OrderCancelled, saved with the transition that decides the order. */
function outcomeOf(state: SagaState<OrderSagaData>): OutgoingCommand[] {
  const { orderId, userId, amountCents, currency, paymentId } = state.data;
  if (state.status === 'COMPLETED')
    return [
      { type: 'OrderConfirmed', data: { orderId, userId, paymentId, totalCents: amountCents, currency } },
    ];
  return [{ type: 'OrderCancelled', data: { orderId, userId, reason: state.reason ?? timedOut } }];
}
