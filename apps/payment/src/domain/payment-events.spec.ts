import { eventIdOf } from './event-ids';
import {
  type Payment,
  decided,
  pendingPayment,
  refunded,
  voidedPayment,
  withRefundRequested,
} from './payment';
import { authorizationEventOf, refundEventOf } from './payment-events';

const origin = { traceparent: null, tracestate: null, correlationId: 'order-1' };
const now = new Date('2026-01-01T10:00:00.000Z');
const pending = (): Payment =>
  pendingPayment({
    paymentId: 'pay-1',
    orderId: 'order-1',
    userId: 'user-1',
    amountCents: 2599,
    currency: 'EUR',
    paymentMethod: 'tok_visa',
    createdAt: now,
    origin,
  });

describe('eventIdOf', () => {
  it('when the same outcome is named twice, then the id is the same UUID; another outcome or payment gets another', () => {
    const id = eventIdOf('pay-1', 'authorization');
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(eventIdOf('pay-1', 'authorization')).toBe(id);
    expect(eventIdOf('pay-1', 'refund')).not.toBe(id);
    expect(eventIdOf('pay-2', 'authorization')).not.toBe(id);
  });
});

describe('authorizationEventOf', () => {
  it('when the payment is PENDING, then there is no answer yet', () => {
    expect(authorizationEventOf(pending(), now)).toBeUndefined();
  });

  it('when the payment is authorized, and later refunded, then the answer is the same PaymentAuthorized with the same id', () => {
    const authorized = decided(pending(), { status: 'AUTHORIZED', chargeId: 'ch_1' });
    const first = authorizationEventOf(authorized, now);
    const later = authorizationEventOf(refunded(authorized, { refundId: 're_1' }), now);
    expect(first).toMatchObject({
      id: eventIdOf('pay-1', 'authorization'),
      type: 'PaymentAuthorized',
      correlationId: 'order-1',
      data: { orderId: 'order-1', paymentId: 'pay-1', amountCents: 2599, currency: 'EUR' },
    });
    expect(later).toMatchObject({ id: first?.id, type: first?.type, data: first?.data });
  });

  it('when the payment was voided by an earlier refund, then the answer is PaymentFailed(VOIDED)', () => {
    const voided = voidedPayment({ paymentId: 'pay-1', orderId: 'order-1', createdAt: now, origin });
    expect(authorizationEventOf(voided, now)).toMatchObject({
      type: 'PaymentFailed',
      data: { orderId: 'order-1', reason: 'VOIDED' },
    });
  });
});

describe('refundEventOf', () => {
  it('when the charge was refunded, then PaymentRefunded gives back the amount', () => {
    const authorized = decided(pending(), { status: 'AUTHORIZED', chargeId: 'ch_1' });
    expect(refundEventOf(refunded(authorized, { refundId: 're_1' }), now)).toMatchObject({
      id: eventIdOf('pay-1', 'refund'),
      type: 'PaymentRefunded',
      data: { orderId: 'order-1', paymentId: 'pay-1', amountCents: 2599, currency: 'EUR' },
    });
  });

  it('when the payment is still in doubt or its charge not yet refunded, then there is no answer yet', () => {
    expect(refundEventOf(withRefundRequested(pending(), origin), now)).toBeUndefined();
    const authorized = decided(pending(), { status: 'AUTHORIZED', chargeId: 'ch_1' });
    expect(refundEventOf(withRefundRequested(authorized, origin), now)).toBeUndefined();
  });

  it('when nothing was charged (declined, voided), then PaymentRefunded gives back 0; a voided one names no currency', () => {
    const declinedPayment = decided(pending(), { status: 'DECLINED', reason: 'CARD_DECLINED', detail: null });
    expect(refundEventOf(declinedPayment, now)?.data).toEqual({
      orderId: 'order-1',
      paymentId: 'pay-1',
      amountCents: 0,
      currency: 'EUR',
    });
    const voided = voidedPayment({ paymentId: 'pay-9', orderId: 'order-1', createdAt: now, origin });
    expect(refundEventOf(voided, now)?.data).toEqual({
      orderId: 'order-1',
      paymentId: 'pay-9',
      amountCents: 0,
    });
  });
});
