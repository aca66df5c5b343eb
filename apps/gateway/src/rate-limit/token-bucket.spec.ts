import { MemoryRateLimiter } from './memory-rate-limiter';
import { decisionOf, takeToken } from './token-bucket';

const policy = { name: 'anonymous', quota: 120, windowSeconds: 60 };

describe('takeToken', () => {
  it('when a caller is new, then its bucket starts full and the request takes one token', () => {
    expect(takeToken(undefined, 1000, policy)).toEqual({
      allowed: true,
      state: { tokens: 119, updatedAtMs: 1000 },
    });
  });

  it('when the bucket is empty, then the request is refused and nothing is taken', () => {
    expect(takeToken({ tokens: 0.5, updatedAtMs: 1000 }, 1000, policy)).toEqual({
      allowed: false,
      state: { tokens: 0.5, updatedAtMs: 1000 },
    });
  });

  it('when time passes, then tokens come back at quota per window, never above the quota', () => {
    expect(takeToken({ tokens: 0, updatedAtMs: 0 }, 1500, policy).state.tokens).toBeCloseTo(2, 9); // 3 back, 1 taken
    expect(takeToken({ tokens: 100, updatedAtMs: 0 }, 3_600_000, policy).state.tokens).toBe(119);
  });
});

describe('decisionOf', () => {
  it('when allowed, then remaining is the whole tokens left and t the seconds until the quota is full', () => {
    expect(decisionOf(true, 117.4, policy)).toEqual({
      allowed: true,
      remaining: 117,
      resetSeconds: 2,
      retryAfterSeconds: 0,
    });
  });

  it('when refused, then Retry-After is the seconds until one token is back, at least 1', () => {
    expect(decisionOf(false, 0.2, { name: 'user', quota: 10, windowSeconds: 60 })).toMatchObject({
      remaining: 0,
      retryAfterSeconds: 5,
      resetSeconds: 59,
    });
    expect(decisionOf(false, 0.9, policy).retryAfterSeconds).toBe(1);
  });
});

describe('MemoryRateLimiter', () => {
  it('when one key uses up its quota, then it is refused until a token comes back, and other keys are not affected', async () => {
    let now = 0;
    const limiter = new MemoryRateLimiter(() => now);
    const small = { name: 'anonymous', quota: 2, windowSeconds: 60 };
    try {
      expect((await limiter.take('a', small)).allowed).toBe(true);
      expect((await limiter.take('a', small)).allowed).toBe(true);
      expect(await limiter.take('a', small)).toMatchObject({
        allowed: false,
        remaining: 0,
        retryAfterSeconds: 30,
      });
      expect((await limiter.take('b', small)).allowed).toBe(true);
      now += 30_000;
      expect((await limiter.take('a', small)).allowed).toBe(true);
      expect((await limiter.take('a', small)).allowed).toBe(false);
    } finally {
      limiter.close();
    }
  });
});
