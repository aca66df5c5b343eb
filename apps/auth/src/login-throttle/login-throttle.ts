import { createHash } from 'node:crypto';
import { TooManyAttemptsError } from '../domain/errors';
import type { AttemptCounter, WindowCount } from './attempt-counter.port';

export interface LoginThrottleLimits {
  /** Failures on one account from one address: a typo-prone user, or one attacker on one account. */
  maxFailuresPerAccountFromAddress: number;
  /** Failures on one account from all addresses together: guessing spread over many addresses. */
  maxFailuresPerAccount: number;
  /** Failures from one address over all accounts: credential stuffing from one address. */
  maxFailuresPerAddress: number;
  windowMs: number;
}

export interface ThrottleLogger {
  warn(message: string): void;
}

/**
 * Login throttling in fixed windows, shaped so that an attacker cannot aim a lock-out at others:
 * - per account *and* address (5): refuses the address that keeps failing on that account, and only it;
 * - per account over all addresses (20): once exceeded, refuses only addresses that have already
 *   failed on the account in this window. Guessing spread over many addresses gets about one try
 *   per new address, while the owner, signing in from an address that has not failed, still can;
 * - per address (100): credential stuffing from one address over many accounts. Users behind the
 *   same address (a NAT) share this one, so it is set well above what people mistype.
 * Every attempt is counted *before* the password is checked, so a parallel burst cannot slip past
 * the limit while the hashes are computed; a success then takes its own count back (the pair is
 * cleared; the account and address counters are only decremented, so a success does not wipe
 * other failures). If the counters' store is down, logins are let through (and logged): argon2's
 * cost still bounds guessing, and Redis being down must not lock every user out. docs/security.md
 * gives the reasoning.
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
        this.counter.hit(pairKey(email, address), this.limits.windowMs),
        this.counter.hit(accountKey(email), this.limits.windowMs),
        this.counter.hit(addressKey(address), this.limits.windowMs),
      ]),
    );
    if (!counts) return;
    const [pair, account, fromAddress] = counts;
    // This attempt is counted already: a count above 1 means this address failed on it before.
    const failedHereBefore = pair.count > 1;
    const blocking = [
      exceeded(pair, this.limits.maxFailuresPerAccountFromAddress),
      failedHereBefore ? exceeded(account, this.limits.maxFailuresPerAccount) : undefined,
      exceeded(fromAddress, this.limits.maxFailuresPerAddress),
    ].filter((resetInMs): resetInMs is number => resetInMs !== undefined);
    if (blocking.length > 0)
      throw new TooManyAttemptsError(Math.max(1, Math.ceil(Math.max(...blocking) / 1000)));
  }

  async succeeded(email: string, address: string): Promise<void> {
    await this.failOpen(() =>
      Promise.all([
        this.counter.reset(pairKey(email, address)),
        this.counter.forgive(accountKey(email)),
        this.counter.forgive(addressKey(address)),
      ]),
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
  return `account:${hashOf(email)}`;
}

function pairKey(email: string, address: string): string {
  return `account-address:${hashOf(email)}:${address}`;
}

function hashOf(email: string): string {
  return createHash('sha256').update(email).digest('base64url');
}

function addressKey(address: string): string {
  return `address:${address}`;
}
