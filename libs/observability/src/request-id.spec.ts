import type { IncomingMessage } from 'node:http';
import { requestIdOf } from './request-id';

const requestWith = (headers: Record<string, string>) => ({ headers }) as unknown as IncomingMessage;

describe('requestIdOf', () => {
  it('when the client offers a sane id, then it is kept', () => {
    expect(requestIdOf(requestWith({ 'x-request-id': 'abc-123_x.y:z@w' }))).toBe('abc-123_x.y:z@w');
  });

  it.each([['a'.repeat(129)], ['has space'], ['new\nline'], ['']])(
    'when the client offers %j, then a UUID replaces it',
    (offered) => {
      expect(requestIdOf(requestWith({ 'x-request-id': offered }))).toMatch(/^[0-9a-f-]{36}$/);
    },
  );

  it('when asked twice for one request, then the same id comes back', () => {
    const request = requestWith({});
    expect(requestIdOf(request)).toBe(requestIdOf(request));
  });
});
