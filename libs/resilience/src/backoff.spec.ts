import { fullJitterDelay } from './backoff';

describe('fullJitterDelay', () => {
  it.each([
    [1, 100],
    [2, 200],
    [3, 400],
    [4, 800],
  ])('when retry %i draws the extremes, then the delay spans [0, %i)', (retryNumber, ceiling) => {
    expect(fullJitterDelay(retryNumber, 100, 10_000, () => 0)).toBe(0);
    expect(fullJitterDelay(retryNumber, 100, 10_000, () => 0.999999)).toBe(ceiling - 1);
  });

  it('when the exponential grows past the cap, then the cap bounds the delay', () => {
    expect(fullJitterDelay(20, 100, 1000, () => 0.999999)).toBe(999);
    expect(fullJitterDelay(20, 100, 1000, () => 0.5)).toBe(500);
  });
});
