import { TooManyAttemptsError } from '../domain/errors';
import { InMemoryAttemptCounter } from './in-memory-attempt-counter';
import { LoginThrottle } from './login-throttle';

describe('LoginThrottle', () => {
  const limits = {
    maxFailuresPerAccountFromAddress: 5,
    maxFailuresPerAccount: 20,
    maxFailuresPerAddress: 100,
    windowMs: 15 * 60_000,
  };
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

  it('when an account has failed 5 times from one address, then its 6th attempt from there is refused with the seconds left in the window', async () => {
    for (let attempt = 1; attempt <= 5; attempt++) await throttle.admit('ada@example.com', '10.0.0.1');
    now += 60_000;
    const refusal = await refusalOf(throttle.admit('ada@example.com', '10.0.0.1'));
    expect(refusal).toBeInstanceOf(TooManyAttemptsError);
    expect(refusal?.retryAfterSeconds).toBe(14 * 60);
  });

  it('when an attacker fails on a victim’s account from one address, then the victim, from another address, is still admitted', async () => {
    for (let attempt = 1; attempt <= 10; attempt++)
      await refusalOf(throttle.admit('victim@example.com', '203.0.113.7'));
    await expect(throttle.admit('victim@example.com', '198.51.100.1')).resolves.toBeUndefined();
  });

  it('when guessing on one account is spread over many addresses past 20 failures, then each of those addresses is refused, and a clean address is still admitted', async () => {
    const attackers = Array.from({ length: 10 }, (_, index) => `203.0.113.${index + 1}`);
    for (const address of attackers)
      for (let attempt = 1; attempt <= 2; attempt++) await throttle.admit('victim@example.com', address);
    // 20 failures so far, 2 per address: under the per-pair limit, at the account's.
    expect(await refusalOf(throttle.admit('victim@example.com', attackers[0] ?? ''))).toBeInstanceOf(
      TooManyAttemptsError,
    );
    // A new attacker address gets its first try, and is refused from its second on.
    await expect(throttle.admit('victim@example.com', '203.0.113.99')).resolves.toBeUndefined();
    expect(await refusalOf(throttle.admit('victim@example.com', '203.0.113.99'))).toBeInstanceOf(
      TooManyAttemptsError,
    );
    await expect(throttle.admit('victim@example.com', '198.51.100.1')).resolves.toBeUndefined();
  });

  it('when the window has passed, then the account is admitted again', async () => {
    for (let attempt = 1; attempt <= 6; attempt++)
      await refusalOf(throttle.admit('ada@example.com', '10.0.0.1'));
    now += limits.windowMs;
    await expect(throttle.admit('ada@example.com', '10.0.0.1')).resolves.toBeUndefined();
  });

  it('when an address has failed 100 times over many accounts, then its 101st attempt is refused, even for an untouched account', async () => {
    for (let attempt = 1; attempt <= 100; attempt++)
      await throttle.admit(`user-${attempt}@example.com`, '10.0.0.1');
    expect(await refusalOf(throttle.admit('fresh@example.com', '10.0.0.1'))).toBeInstanceOf(
      TooManyAttemptsError,
    );
    await expect(throttle.admit('fresh@example.com', '10.0.0.2')).resolves.toBeUndefined();
  });

  it('when 20 logins from one shared address have failed, then an untouched account from that address is still admitted', async () => {
    for (let attempt = 1; attempt <= 20; attempt++)
      await throttle.admit(`user-${attempt}@example.com`, '10.0.0.1');
    await expect(throttle.admit('colleague@example.com', '10.0.0.1')).resolves.toBeUndefined();
  });

  it('when a login succeeds, then its failures from that address are cleared', async () => {
    for (let attempt = 1; attempt <= 4; attempt++) await throttle.admit('ada@example.com', '10.0.0.1');
    await throttle.succeeded('ada@example.com', '10.0.0.1');
    for (let attempt = 1; attempt <= 5; attempt++) await throttle.admit('ada@example.com', '10.0.0.1');
    expect(await refusalOf(throttle.admit('ada@example.com', '10.0.0.1'))).toBeInstanceOf(
      TooManyAttemptsError,
    );
  });

  it('when a login succeeds, then the address keeps its earlier failures (only the success is taken back)', async () => {
    for (let attempt = 1; attempt <= 99; attempt++)
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
