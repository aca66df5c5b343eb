import { randomUUID } from 'node:crypto';
import { setTimeout as delay } from 'node:timers/promises';

/** The simulator's sources of time and chance, which tests replace to drive faults and delays exactly. */
export interface SimulatorRuntime {
  /** In [0, 1), as Math.random; compared with the error rate. */
  random(): number;
  /** Waits for fault latency and for `tok_slow`. */
  sleep(ms: number): Promise<void>;
  /** When a charge or refund is created. */
  clock(): Date;
}

export const systemRuntime: SimulatorRuntime = {
  random: Math.random,
  // Unreferenced: a pending tok_slow decision must not keep a stopping process alive.
  sleep: (ms) => delay(ms, undefined, { ref: false }),
  clock: () => new Date(),
};

/** A Stripe-looking id, e.g. `ch_3f2a…` (24 characters after the prefix). */
export function newId(prefix: 'ch' | 're'): string {
  return `${prefix}_${randomUUID().replaceAll('-', '').slice(0, 24)}`;
}

export function unixSeconds(date: Date): number {
  return Math.floor(date.getTime() / 1000);
}
