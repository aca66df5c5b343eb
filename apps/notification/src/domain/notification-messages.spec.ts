import {
  formatMoney,
  orderCancelledNotice,
  orderConfirmedNotice,
  welcomeNotice,
} from './notification-messages';

describe('notification messages', () => {
  it('when an order is confirmed, then the notice names the order and its total in the currency', () => {
    expect(
      orderConfirmedNotice({ orderId: 'order-7', userId: 'user-1', totalCents: 2599, currency: 'EUR' }),
    ).toEqual({
      userId: 'user-1',
      type: 'ORDER_CONFIRMED',
      orderId: 'order-7',
      message: 'Your order order-7 is confirmed. Total: €25.99.',
    });
  });

  it.each([
    ['OUT_OF_STOCK', 'some of its items are out of stock'],
    ['PAYMENT_DECLINED', 'the payment was declined'],
    ['PAYMENT_UNAVAILABLE', 'the payment could not be processed'],
    ['TIMEOUT', 'it could not be completed in time'],
  ] as const)(
    'when an order is cancelled for %s, then the notice gives the reason in words',
    (reason, words) => {
      expect(orderCancelledNotice({ orderId: 'order-8', userId: 'user-1', reason })).toEqual({
        userId: 'user-1',
        type: 'ORDER_CANCELLED',
        orderId: 'order-8',
        message: `Your order order-8 was cancelled because ${words}.`,
      });
    },
  );

  it('when a user registers, then the welcome greets them by name and concerns no order', () => {
    expect(welcomeNotice({ userId: 'user-2', name: 'Grace Hopper' })).toEqual({
      userId: 'user-2',
      type: 'WELCOME',
      orderId: null,
      message: 'Welcome, Grace Hopper! Your account is ready.',
    });
  });

  it.each([
    [2599, 'EUR', '€25.99'],
    [5, 'USD', '$0.05'],
    [1200, 'JPY', '¥1,200'],
  ])('when %i minor units of %s are formatted, then they read %s', (minorUnits, currency, text) => {
    expect(formatMoney(minorUnits, currency)).toBe(text);
  });
});
