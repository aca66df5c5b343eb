import { PaymentFailed, PaymentRefunded } from './payments-events';

describe('the payment events', () => {
  it('when a refund had nothing to give back, then PaymentRefunded carries 0 and may lack a currency', () => {
    expect(
      PaymentRefunded.schema.safeParse({ orderId: 'o-1', paymentId: 'p-1', amountCents: 0 }).success,
    ).toBe(true);
  });

  it('when PaymentRefunded lacks its payment id, then it is rejected', () => {
    expect(PaymentRefunded.schema.safeParse({ orderId: 'o-1', amountCents: 0 }).success).toBe(false);
  });

  it('when an AuthorizePayment came after the refund, then PaymentFailed(VOIDED) is valid', () => {
    expect(PaymentFailed.schema.safeParse({ orderId: 'o-1', reason: 'VOIDED' }).success).toBe(true);
  });
});
