import { createHash } from 'node:crypto';
import { TooManyAttemptsError } from '../domain/errors';
import type { AttemptCounter, WindowCount } from './attempt-counter.port';

export interface LoginThrottleLimits {
  maxFailuresPerAccount: number;
  maxFailuresPerAddress: number;
  windowMs: number;
}

export interface ThrottleLogger {
  warn(message: string): void;
}

/**
 * Login throttling per account (normalized email) and per client address, in fixed windows.
 * Every attempt is counted *before* the password is checked, so a parallel burst cannot slip past
 * the limit while the hashes are computed; a success then takes its count back (the account
 * counter is cleared, the address counter only decremented: a success does not wipe the other
 * failures from that address). If the counters' store is down, logins are let through (and logged):
 * argon2's cost still bounds guessing, and Redis being down must not lock every user out.
 */
export class LoginThrottle {
  constructor(
    private readonly counter: AttemptCounter,
    private readonly limits: LoginThrottleLimits,
    private readonly logger: ThrottleLogger = { warn: () => undefined },
  ) {}

  /** Counts this attempt; throws TooManyAttemptsError while either limit is exceeded. */
  async admit(email: string, address: string): Promise<void> {
    const counts = await this.failOpen(() =>
      Promise.all([
        this.counter.hit(accountKey(email), this.limits.windowMs),
        this.counter.hit(addressKey(address), this.limits.windowMs),
      ]),
    );
    if (!counts) return;
    const [account, address_] = counts;
    const blocking = [
      exceeded(account, this.limits.maxFailuresPerAccount),
      exceeded(address_, this.limits.maxFailuresPerAddress),
    ].filter((resetInMs): resetInMs is number => resetInMs !== undefined);
    if (blocking.length > 0)
      throw new TooManyAttemptsError(Math.max(1, Math.ceil(Math.max(...blocking) / 1000)));
  }

  async succeeded(email: string, address: string): Promise<void> {
    await this.failOpen(() =>
      Promise.all([this.counter.reset(accountKey(email)), this.counter.forgive(addressKey(address))]),
    );
  }

  private async failOpen<T>(call: () => Promise<T>): Promise<T | undefined> {
    try {
      return await call();
    } catch (error) {
      this.logger.warn(
        `login throttle unavailable, attempt let through: ${error instanceof Error ? error.message : String(error)}`,
      );
      return undefined;
    }
  }
}

/** The window's remaining time when the count is over the limit; the attempt that reaches the limit still passes. */
function exceeded(window: WindowCount, limit: number): number | undefined {
  return window.count > limit ? window.resetInMs : undefined;
}

// Hashed, so the counters' store holds no email addresses.
function accountKey(email: string): string {
  return `account:${createHash('sha256').update(email).digest('base64url')}`;
}

function addressKey(address: string): string {
  return `address:${address}`;
}
