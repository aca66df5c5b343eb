import { setupRequestOf, stringFieldOf } from './request-shaping.ts';

const request: { method: string; path: string; headers: Record<string, string>; body?: string } = {
  method: 'POST',
  path: '/api/orders',
  headers: { authorization: 'Bearer t' },
};

describe('setupRequestOf', () => {
  it('when nothing varies per request, then there is no setup (autocannon reuses one buffer)', () => {
    expect(setupRequestOf({})).toBeUndefined();
  });

  it('when a fresh header is asked for, then every request gets a new value and keeps its other headers', () => {
    let count = 0;
    const setup = setupRequestOf({ freshHeader: 'idempotency-key' }, () => `key-${(count += 1)}`);
    expect(setup?.(request).headers).toEqual({ authorization: 'Bearer t', 'idempotency-key': 'key-1' });
    expect(setup?.(request).headers).toEqual({ authorization: 'Bearer t', 'idempotency-key': 'key-2' });
    expect(request.headers).toEqual({ authorization: 'Bearer t' });
  });

  it('when a header cycles, then the values come in turn and start over', () => {
    const setup = setupRequestOf({ cycleHeader: { name: 'idempotency-key', values: ['a', 'b'] } });
    const keys = [1, 2, 3].map(() => setup?.(request).headers?.['idempotency-key']);
    expect(keys).toEqual(['a', 'b', 'a']);
  });

  it('when a header is to cycle through nothing, then it refuses', () => {
    expect(() => setupRequestOf({ cycleHeader: { name: 'x', values: [] } })).toThrow(/no values/);
  });

  it('when bodies cycle, then they come in turn, in step with a cycling header', () => {
    const setup = setupRequestOf({
      cycleBodies: ['{"n":1}', '{"n":2}'],
      cycleHeader: { name: 'x', values: ['a', 'b'] },
    });
    const sent = [1, 2, 3].map(() => setup?.(request));
    expect(sent.map((each) => each?.body)).toEqual(['{"n":1}', '{"n":2}', '{"n":1}']);
    expect(sent.map((each) => each?.headers?.['x'])).toEqual(['a', 'b', 'a']);
  });

  it('when bodies are to cycle through nothing, then it refuses', () => {
    expect(() => setupRequestOf({ cycleBodies: [] })).toThrow(/no bodies/);
  });
});

describe('stringFieldOf', () => {
  it('when the body holds the field as a string, then it is returned', () => {
    expect(stringFieldOf('{"orderId":"o-1","status":"PENDING"}', 'orderId')).toBe('o-1');
  });

  it.each(['not json', '{"orderId":7}', '{"orderId":""}', '{}', 'null'])(
    'when the body is %s, then there is nothing',
    (body) => {
      expect(stringFieldOf(body, 'orderId')).toBeUndefined();
    },
  );
});
