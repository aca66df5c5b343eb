import type { OrderCancellationReason } from '@platform/contracts';
import type { NotificationDraft } from './notification';

/** Why an order was cancelled, in words a customer reads after "because". */
const cancellationReasons: Record<OrderCancellationReason, string> = {
  OUT_OF_STOCK: 'some of its items are out of stock',
  PAYMENT_DECLINED: 'the payment was declined',
  PAYMENT_UNAVAILABLE: 'the payment could not be processed',
  TIMEOUT: 'it could not be completed in time',
};

export function orderConfirmedNotice(order: {
  orderId: string;
  userId: string;
  totalCents: number;
  currency: string;
}): NotificationDraft {
  return {
    userId: order.userId,
    type: 'ORDER_CONFIRMED',
    orderId: order.orderId,
    message: `Your order ${order.orderId} is confirmed. Total: ${formatMoney(order.totalCents, order.currency)}.`,
  };
}

export function orderCancelledNotice(order: {
  orderId: string;
  userId: string;
  reason: OrderCancellationReason;
}): NotificationDraft {
  return {
    userId: order.userId,
    type: 'ORDER_CANCELLED',
    orderId: order.orderId,
    message: `Your order ${order.orderId} was cancelled because ${cancellationReasons[order.reason]}.`,
  };
}

export function welcomeNotice(user: { userId: string; name: string }): NotificationDraft {
  return {
    userId: user.userId,
    type: 'WELCOME',
    orderId: null,
    message: `Welcome, ${user.name}! Your account is ready.`,
  };
}

/** Minor units in the currency's own decimals (2 for EUR, 0 for JPY), e.g. "€12.50". */
export function formatMoney(minorUnits: number, currency: string): string {
  const format = new Intl.NumberFormat('en-US', { style: 'currency', currency });
  const decimals = format.resolvedOptions().maximumFractionDigits ?? 2;
  return format.format(minorUnits / 10 ** decimals);
}
