import { isIdempotentRequest } from './idempotency';

describe('isIdempotentRequest', () => {
  it.each(['GET', 'HEAD', 'OPTIONS', 'PUT', 'DELETE', 'get'])(
    'when the method is %s, then it is idempotent',
    (method) => {
      expect(isIdempotentRequest({ method })).toBe(true);
    },
  );

  it.each(['POST', 'PATCH'])('when the method is %s without a key, then it is not', (method) => {
    expect(isIdempotentRequest({ method, headers: { 'content-type': 'application/json' } })).toBe(false);
  });

  it('when a POST carries an Idempotency-Key, then it is idempotent', () => {
    expect(isIdempotentRequest({ method: 'POST', headers: { 'Idempotency-Key': 'k-1' } })).toBe(true);
  });

  it("when the caller says so, then the caller's word wins over the method", () => {
    expect(isIdempotentRequest({ method: 'GET', idempotent: false })).toBe(false);
    expect(isIdempotentRequest({ method: 'POST', idempotent: true })).toBe(true);
  });
});
