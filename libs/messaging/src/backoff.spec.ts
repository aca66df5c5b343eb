import { backoffDelayMs } from './backoff';

describe('backoffDelayMs', () => {
  const backoff = { initialMs: 1000, maxMs: 60_000 };

  it('when failures follow one another, then the ceiling doubles up to the maximum', () => {
    const top = () => 0.999_999;
    expect([1, 2, 3, 4, 10].map((failures) => backoffDelayMs(failures, backoff, top))).toEqual([
      999, 1999, 3999, 7999, 59_999,
    ]);
  });

  it('when jitter is drawn, then the delay is uniform between zero and the ceiling', () => {
    expect(backoffDelayMs(3, backoff, () => 0)).toBe(0);
    expect(backoffDelayMs(3, backoff, () => 0.5)).toBe(2000);
  });
});
