import { defineSaga, type CompensationCause } from '../../src';

/** The order saga of docs/events.md#order-saga, the library's first user, as a fixture. */
export interface OrderSagaData {
  orderId: string;
  userId: string;
  items: { sku: string; quantity: number }[];
  amountCents: number;
  currency: string;
  /** The provider's test token the customer chose; AuthorizePayment carries it. */
  paymentMethod: string;
  paymentId?: string;
}

const refundReason = (cause: CompensationCause) =>
  cause.kind === 'late-reply'
    ? 'LATE_AUTHORIZATION'
    : cause.kind === 'timeout'
      ? 'TIMEOUT'
      : 'ORDER_CANCELLED';

export const orderSaga = defineSaga<OrderSagaData>({
  name: 'order',
  maxCompensationAttempts: 3,
  steps: [
    {
      name: 'reserve-stock',
      command: ({ orderId, items }) => ({ type: 'ReserveStock', data: { orderId, items } }),
      replies: { StockReserved: 'success', StockRejected: { fail: 'OUT_OF_STOCK' } },
      compensation: {
        command: ({ orderId }) => ({ type: 'ReleaseStock', data: { orderId } }),
        replies: { StockReleased: 'success' },
        timeoutMs: 10_000,
      },
      timeoutMs: 30_000,
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
        PaymentDeclined: { fail: 'PAYMENT_DECLINED' },
        PaymentFailed: { fail: 'PAYMENT_UNAVAILABLE' },
      },
      // No reply awaited: the payment service records the refund and retries it until done, so the
      // refund counts as done once the outbox holds it.
      compensation: {
        command: (data, cause) => {
          const paymentId =
            cause.kind === 'late-reply'
              ? (cause.reply.data as { paymentId: string }).paymentId
              : data.paymentId;
          return {
            type: 'RefundPayment',
            data: { orderId: data.orderId, ...(paymentId ? { paymentId } : {}), reason: refundReason(cause) },
          };
        },
      },
      timeoutMs: 30_000,
      compensateOnTimeout: true,
    },
    {
      name: 'commit-stock',
      command: ({ orderId }) => ({ type: 'CommitStock', data: { orderId } }),
      replies: { StockCommitted: 'success' },
      timeoutMs: 30_000,
      retryOnTimeout: true,
    },
  ],
});

export const anOrder = (orderId = 'order-1'): OrderSagaData => ({
  orderId,
  userId: 'user-1',
  items: [{ sku: 'SKU-1', quantity: 2 }],
  amountCents: 1500,
  currency: 'EUR',
  paymentMethod: 'tok_visa',
});
