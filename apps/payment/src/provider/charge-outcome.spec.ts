import { CircuitOpenError, TimeoutError } from '@platform/resilience';
import { outcomeOfAnswer, outcomeOfError } from './charge-outcome';

const cardError = (declineCode: string) => ({
  error: {
    type: 'card_error',
    code: 'card_declined',
    decline_code: declineCode,
    message: 'Your card was declined.',
  },
});

describe('outcomeOfAnswer', () => {
  it('when the provider created the charge, then the payment is AUTHORIZED with its charge id', () => {
    expect(outcomeOfAnswer({ statusCode: 201, body: { id: 'ch_1', status: 'succeeded' } })).toEqual({
      status: 'AUTHORIZED',
      chargeId: 'ch_1',
    });
  });

  it.each([
    ['generic_decline', 'CARD_DECLINED'],
    ['insufficient_funds', 'INSUFFICIENT_FUNDS'],
    ['fraudulent', 'FRAUD_SUSPECTED'],
  ])('when the card is declined with %s, then the payment is DECLINED with %s', (declineCode, reason) => {
    expect(outcomeOfAnswer({ statusCode: 402, body: cardError(declineCode) })).toEqual({
      status: 'DECLINED',
      reason,
      detail: 'Your card was declined.',
    });
  });

  it('when the payment method is unknown to the provider, then the payment is DECLINED (CARD_DECLINED)', () => {
    const body = {
      error: { type: 'invalid_request_error', param: 'source', message: "No such token: 'tok_x'" },
    };
    expect(outcomeOfAnswer({ statusCode: 400, body })).toMatchObject({
      status: 'DECLINED',
      reason: 'CARD_DECLINED',
    });
  });

  it.each([500, 502, 503])(
    'when the provider answers %i, then the payment FAILED with PROVIDER_ERROR',
    (statusCode) => {
      expect(outcomeOfAnswer({ statusCode, body: undefined })).toEqual({
        status: 'FAILED',
        reason: 'PROVIDER_ERROR',
        detail: `the provider answered ${statusCode}`,
      });
    },
  );

  it('when a success carries no charge id, then the payment FAILED with PROVIDER_ERROR', () => {
    expect(outcomeOfAnswer({ statusCode: 200, body: {} })).toMatchObject({
      status: 'FAILED',
      reason: 'PROVIDER_ERROR',
    });
  });

  it('when the provider says more than a detail may hold, then the detail is cut to 500 characters', () => {
    const body = { error: { type: 'api_error', message: 'x'.repeat(800) } };
    const outcome = outcomeOfAnswer({ statusCode: 500, body });
    expect(outcome.status === 'FAILED' && outcome.detail?.length).toBe(500);
  });
});

describe('outcomeOfError', () => {
  it('when the provider did not answer in time, then the payment FAILED with PROVIDER_TIMEOUT', () => {
    expect(outcomeOfError(new TimeoutError('payment-provider', 3000))).toMatchObject({
      status: 'FAILED',
      reason: 'PROVIDER_TIMEOUT',
    });
  });

  it('when the breaker is open, then the payment FAILED with PROVIDER_UNAVAILABLE', () => {
    expect(outcomeOfError(new CircuitOpenError('payment-provider', 1000))).toMatchObject({
      status: 'FAILED',
      reason: 'PROVIDER_UNAVAILABLE',
    });
  });

  it('when nothing listens at the provider address, then the payment FAILED with PROVIDER_UNAVAILABLE', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
    expect(outcomeOfError(refused)).toMatchObject({ status: 'FAILED', reason: 'PROVIDER_UNAVAILABLE' });
  });

  it('when the error is none of these (a bug), then it is thrown again for the bus to redeliver', () => {
    const bug = new TypeError('undefined is not a function');
    expect(() => outcomeOfError(bug)).toThrow(bug);
  });
});
