import type { Request } from 'express';
import { clientAddressOf } from './client-address.decorator';

const requestWith = (forwardedFor: string | undefined, remoteAddress = '127.0.0.1') =>
  ({
    headers: forwardedFor === undefined ? {} : { 'x-forwarded-for': forwardedFor },
    socket: { remoteAddress },
  }) as unknown as Request;

describe('clientAddressOf', () => {
  it('when the gateway appended the client to X-Forwarded-For, then the last entry is the address', () => {
    expect(clientAddressOf(requestWith('1.2.3.4, 203.0.113.7'))).toBe('203.0.113.7');
  });

  it('when there is no X-Forwarded-For, then the socket peer is the address', () => {
    expect(clientAddressOf(requestWith(undefined, '::1'))).toBe('::1');
  });

  it('when X-Forwarded-For is empty, then the socket peer is the address', () => {
    expect(clientAddressOf(requestWith(' , ', '10.1.1.1'))).toBe('10.1.1.1');
  });
});
