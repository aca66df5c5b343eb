import type { SimulatorRuntime } from '../../src';

/** A sleep the simulator asked for, held until the test lets it end. */
export interface PendingSleep {
  ms: number;
  end(): void;
}

/**
 * Time and chance under the test's control: every sleep waits until the test ends it, `random`
 * returns what the test set, and the clock stands still.
 */
export class ManualRuntime implements SimulatorRuntime {
  static readonly now = new Date('2026-01-02T03:04:05Z');
  nextRandom = 0.5;
  /** The length of every sleep asked for, in order. */
  readonly sleepsAsked: number[] = [];
  private readonly pending: PendingSleep[] = [];
  private readonly waiters: ((sleep: PendingSleep) => void)[] = [];

  random = (): number => this.nextRandom;

  clock = (): Date => ManualRuntime.now;

  sleep = (ms: number): Promise<void> =>
    new Promise((resolve) => {
      this.sleepsAsked.push(ms);
      const sleep = { ms, end: () => resolve() };
      const waiter = this.waiters.shift();
      if (waiter) waiter(sleep);
      else this.pending.push(sleep);
    });

  /** The next sleep the simulator starts (or already started and nobody took yet). */
  nextSleep(): Promise<PendingSleep> {
    const sleep = this.pending.shift();
    if (sleep) return Promise.resolve(sleep);
    return new Promise((resolve) => this.waiters.push(resolve));
  }
}

/** Sleeps that end at once: for tests where the delay itself is not the point. */
export const instantRuntime: Partial<SimulatorRuntime> = { sleep: () => Promise.resolve() };
