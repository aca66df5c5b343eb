import { decide } from './idempotency-decision';

const response = { status: 202, body: { orderId: 'o-1' }, headers: { Location: '/api/orders/o-1' } };
const finished = { fingerprint: 'fp-1', response };

describe('decide', () => {
  it('when nothing is known of the key, then the request proceeds', () => {
    expect(decide('fp-1', {})).toEqual({ kind: 'proceed' });
  });

  it('when the key finished with the same fingerprint, then its response is replayed', () => {
    expect(decide('fp-1', { finished })).toEqual({ kind: 'replay', response });
  });

  it('when the key finished with another fingerprint, then it is a mismatch', () => {
    expect(decide('fp-2', { finished })).toEqual({ kind: 'mismatch' });
  });

  it('when another request holds the lock, then it is in flight', () => {
    expect(decide('fp-1', { lockedByAnother: true })).toEqual({ kind: 'in-flight' });
  });

  it('when the key finished and is still locked, then the finished answer wins', () => {
    expect(decide('fp-1', { finished, lockedByAnother: true })).toEqual({ kind: 'replay', response });
    expect(decide('fp-2', { finished, lockedByAnother: true })).toEqual({ kind: 'mismatch' });
  });
});
