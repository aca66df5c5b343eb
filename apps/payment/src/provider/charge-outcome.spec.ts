import { CircuitOpenError, TimeoutError } from '@platform/resilience';
import { attemptOfAnswer, attemptOfError, neverReachedProvider } from './charge-outcome';

const cardError = (declineCode: string) => ({
  error: {
    type: 'card_error',
    code: 'card_declined',
    decline_code: declineCode,
    message: 'Your card was declined.',
  },
});
const errorWithCode = (code: string) => Object.assign(new Error(`connect ${code}`), { code });

describe('attemptOfAnswer', () => {
  it('when the provider created the charge, then it answered AUTHORIZED with its charge id', () => {
    expect(attemptOfAnswer({ statusCode: 201, body: { id: 'ch_1', status: 'succeeded' } })).toEqual({
      kind: 'answered',
      outcome: { status: 'AUTHORIZED', chargeId: 'ch_1' },
    });
  });

  it.each([
    ['generic_decline', 'CARD_DECLINED'],
    ['insufficient_funds', 'INSUFFICIENT_FUNDS'],
    ['fraudulent', 'FRAUD_SUSPECTED'],
  ])('when the card is declined with %s, then it answered DECLINED with %s', (declineCode, reason) => {
    expect(attemptOfAnswer({ statusCode: 402, body: cardError(declineCode) })).toEqual({
      kind: 'answered',
      outcome: { status: 'DECLINED', reason, detail: 'Your card was declined.' },
    });
  });

  it('when the payment method is unknown to the provider, then it answered DECLINED (CARD_DECLINED)', () => {
    const body = {
      error: { type: 'invalid_request_error', param: 'source', message: "No such token: 'tok_x'" },
    };
    expect(attemptOfAnswer({ statusCode: 400, body })).toMatchObject({
      kind: 'answered',
      outcome: { status: 'DECLINED', reason: 'CARD_DECLINED' },
    });
  });

  it('when the provider refuses the request itself (another 4xx), then it answered FAILED (PROVIDER_ERROR)', () => {
    const body = { error: { type: 'invalid_request_error', param: 'currency', message: 'Invalid currency' } };
    expect(attemptOfAnswer({ statusCode: 400, body })).toMatchObject({
      kind: 'answered',
      outcome: { status: 'FAILED', reason: 'PROVIDER_ERROR' },
    });
  });

  it.each([500, 502, 503, 429])(
    'when the provider answers %i, then nothing was charged: FAILED (PROVIDER_ERROR) if nothing before could have charged',
    (statusCode) => {
      expect(attemptOfAnswer({ statusCode, body: undefined })).toEqual({
        kind: 'not-charged',
        outcome: {
          status: 'FAILED',
          reason: 'PROVIDER_ERROR',
          detail: `the provider answered ${statusCode}`,
        },
      });
    },
  );

  it('when another request with the key is running (409) or used other parameters, then the outcome is in doubt', () => {
    expect(attemptOfAnswer({ statusCode: 409, body: undefined }).kind).toBe('in-doubt');
    const body = { error: { type: 'idempotency_error', message: 'Keys for idempotent requests…' } };
    expect(attemptOfAnswer({ statusCode: 400, body }).kind).toBe('in-doubt');
  });

  it('when a success carries no charge id, then the outcome is in doubt (the charge may exist)', () => {
    expect(attemptOfAnswer({ statusCode: 200, body: {} }).kind).toBe('in-doubt');
  });

  it('when the provider says more than a detail may hold, then the detail is cut to 500 characters', () => {
    const body = { error: { type: 'api_error', message: 'x'.repeat(800) } };
    const attempt = attemptOfAnswer({ statusCode: 500, body });
    expect(attempt.kind === 'not-charged' && attempt.outcome.detail?.length).toBe(500);
  });
});

describe('attemptOfError', () => {
  it('when the provider did not answer in time, then the outcome is in doubt (the charge may land later)', () => {
    expect(attemptOfError(new TimeoutError('payment-provider', 2000))).toMatchObject({ kind: 'in-doubt' });
  });

  it('when the breaker is open, then nothing was charged: PROVIDER_UNAVAILABLE', () => {
    expect(attemptOfError(new CircuitOpenError('payment-provider', 1000))).toMatchObject({
      kind: 'not-charged',
      outcome: { status: 'FAILED', reason: 'PROVIDER_UNAVAILABLE' },
    });
  });

  it('when nothing listens at the provider address, then nothing was charged: PROVIDER_UNAVAILABLE', () => {
    expect(attemptOfError(errorWithCode('ECONNREFUSED'))).toMatchObject({
      kind: 'not-charged',
      outcome: { status: 'FAILED', reason: 'PROVIDER_UNAVAILABLE' },
    });
  });

  it.each(['ECONNRESET', 'UND_ERR_SOCKET'])(
    'when the connection is lost (%s) after the request may have left, then the outcome is in doubt',
    (code) => {
      expect(attemptOfError(errorWithCode(code))).toMatchObject({ kind: 'in-doubt' });
    },
  );

  it('when the error is none of these (a bug), then it is thrown again for the bus to redeliver', () => {
    const bug = new TypeError('undefined is not a function');
    expect(() => attemptOfError(bug)).toThrow(bug);
  });
});

describe('neverReachedProvider', () => {
  it('when the connection was refused, even wrapped as a cause, then the request never left', () => {
    expect(neverReachedProvider(new Error('fetch failed', { cause: errorWithCode('ECONNREFUSED') }))).toBe(
      true,
    );
  });

  it('when the connection was reset or the call timed out, then the request may have been handled', () => {
    expect(neverReachedProvider(errorWithCode('ECONNRESET'))).toBe(false);
    expect(neverReachedProvider(new TimeoutError('payment-provider', 2000))).toBe(false);
  });
});
