import { TooManyAttemptsError } from '../domain/errors';
import { InMemoryAttemptCounter } from './in-memory-attempt-counter';
import { LoginThrottle } from './login-throttle';

describe('LoginThrottle', () => {
  const limits = { maxFailuresPerAccount: 5, maxFailuresPerAddress: 20, windowMs: 15 * 60_000 };
  let now: number;
  let throttle: LoginThrottle;
  beforeEach(() => {
    now = Date.parse('2026-01-01T00:00:00.000Z');
    throttle = new LoginThrottle(new InMemoryAttemptCounter(() => now), limits);
  });
  const refusalOf = (attempt: Promise<void>) =>
    attempt.then(
      () => undefined,
      (error: unknown) => error as TooManyAttemptsError,
    );

  it('when an account has failed 5 times, then the 6th attempt is refused with the seconds left in the window', async () => {
    for (let attempt = 1; attempt <= 5; attempt++)
      await throttle.admit('ada@example.com', `10.0.0.${attempt}`);
    now += 60_000;
    const refusal = await refusalOf(throttle.admit('ada@example.com', '10.0.0.9'));
    expect(refusal).toBeInstanceOf(TooManyAttemptsError);
    expect(refusal?.retryAfterSeconds).toBe(14 * 60);
  });

  it('when the window has passed, then the account is admitted again', async () => {
    for (let attempt = 1; attempt <= 6; attempt++)
      await refusalOf(throttle.admit('ada@example.com', '10.0.0.1'));
    now += limits.windowMs;
    await expect(throttle.admit('ada@example.com', '10.0.0.1')).resolves.toBeUndefined();
  });

  it('when an address has failed 20 times over many accounts, then its 21st attempt is refused', async () => {
    for (let attempt = 1; attempt <= 20; attempt++)
      await throttle.admit(`user-${attempt}@example.com`, '10.0.0.1');
    expect(await refusalOf(throttle.admit('fresh@example.com', '10.0.0.1'))).toBeInstanceOf(
      TooManyAttemptsError,
    );
    await expect(throttle.admit('fresh@example.com', '10.0.0.2')).resolves.toBeUndefined();
  });

  it('when a login succeeds, then the account count is cleared', async () => {
    for (let attempt = 1; attempt <= 4; attempt++) await throttle.admit('ada@example.com', '10.0.0.1');
    await throttle.succeeded('ada@example.com', '10.0.0.1');
    for (let attempt = 1; attempt <= 5; attempt++) await throttle.admit('ada@example.com', '10.0.0.1');
    expect(await refusalOf(throttle.admit('ada@example.com', '10.0.0.1'))).toBeInstanceOf(
      TooManyAttemptsError,
    );
  });

  it('when a login succeeds, then the address keeps its earlier failures (only the success is taken back)', async () => {
    for (let attempt = 1; attempt <= 19; attempt++)
      await throttle.admit(`user-${attempt}@example.com`, '10.0.0.1');
    await throttle.admit('ada@example.com', '10.0.0.1');
    await throttle.succeeded('ada@example.com', '10.0.0.1');
    await throttle.admit('other@example.com', '10.0.0.1');
    expect(await refusalOf(throttle.admit('third@example.com', '10.0.0.1'))).toBeInstanceOf(
      TooManyAttemptsError,
    );
  });

  it('when the counters fail, then the attempt is let through and a warning is logged', async () => {
    const warnings: string[] = [];
    const broken = {
      hit: () => Promise.reject(new Error('connection refused')),
      forgive: () => Promise.reject(new Error('connection refused')),
      reset: () => Promise.reject(new Error('connection refused')),
    };
    const failingOpen = new LoginThrottle(broken, limits, { warn: (message) => warnings.push(message) });
    await expect(failingOpen.admit('ada@example.com', '10.0.0.1')).resolves.toBeUndefined();
    await expect(failingOpen.succeeded('ada@example.com', '10.0.0.1')).resolves.toBeUndefined();
    expect(warnings).toHaveLength(2);
  });
});
