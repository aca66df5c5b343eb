import type { Counter, Registry } from 'prom-client';
import type { SagaStore } from '../store/saga-store.port';
import { sagaMetrics } from './saga-metrics';

export interface UnfinishedSagaLimitOptions {
  store: Pick<SagaStore, 'countUnfinished'>;
  saga: string;
  /** The most instances ever unfinished (RUNNING or COMPENSATING) across every instance of the service. */
  max: number;
  /**
   * How long a saga may take from start to end while the limit still grows: under it, the sagas
   * end well within their deadlines. Above it, the limit shrinks. Half the tightest step deadline
   * is a good value. Without it the limit is `max`, fixed.
   */
  targetMs?: number;
  /**
   * How many times their usual time the sagas may take before the limit shrinks, when that is
   * under `targetMs` (default 2). Their usual time is the fastest median of a second (of at least
   * 3 sagas) in the last `baselineWindowMs`: what they take with no queue in front of them.
   */
  tolerance?: number;
  /** How long a second's median counts towards the usual time (ms; default 5 minutes). */
  baselineWindowMs?: number;
  /** The limit never shrinks below this. */
  min?: number;
  /**
   * How long a count read from the store is used before it is read again; admissions meanwhile are
   * added to it (default 1 s, the limit's own pace: a count visits every unfinished saga, and a
   * backlog makes it dearer). Requests never wait for a refresh, only for the first count.
   */
  refreshMs?: number;
  /** How often the limit is adjusted (ms). */
  adjustEveryMs?: number;
  clock?: () => number;
  /** Where `saga_admissions_refused_total{saga}` and `saga_admission_limit{saga}` are reported. */
  metrics?: Registry;
}

/** Sagas that ended within a second: fewer say too little about their usual time. */
const baselineSamples = 3;

/**
 * Back-pressure at a saga's door. Under more load than the participants can serve, unfinished
 * sagas pile up, their commands wait in the participants' lag and their deadlines fire before the
 * work is done: every order late, many cancelled for TIMEOUT. Bounding the unfinished instances
 * keeps the backlog small enough to finish in time, and refuses the rest up front, where a client
 * can try again later. The count is the store's (so it holds across the service's instances and
 * restarts), read at most once per `refreshMs` however many requests ask; each admission in
 * between is added to it, so a burst cannot overshoot by more than the other instances admit. A
 * stale count is read again in the background while requests go on deciding with it: under
 * overload the store is the slowest queue, and a request waiting for the count would wait in it.
 *
 * How many may be unfinished depends on how fast the platform ends them (Little's law: backlog =
 * rate × time), which no fixed number knows. With `targetMs` the limit finds it, as TCP Vegas
 * finds a window: a saga that takes longer than usual waited in a queue somewhere, and every
 * request on the same servers waits in those queues too. Each second, if the sagas that ended
 * took (their 90th percentile) longer than `tolerance` times their usual time, or than `targetMs`,
 * while the unfinished were at four fifths of the limit or more (or requests were refused), the
 * limit shrinks by a fifth; if requests were refused while they ended in time, it grows by a
 * tenth. So the platform runs at the rate it decides orders with short queues, and what it would
 * only queue is refused at once. Slow sagas with the door far from full are a stall (a rebalance,
 * a restart), not too many admitted. It stays between `min` and `max`, and starts between them.
 */
export class UnfinishedSagaLimit {
  private readonly refreshMs: number;
  private readonly adjustEveryMs: number;
  private readonly min: number;
  private readonly clock: () => number;
  private readonly refused: Counter<'saga'> | undefined;
  private counted: { unfinished: number; at: number } | undefined;
  private counting: Promise<void> | undefined;
  /** Admitted while a count was being read: the read may not include them yet. */
  private admittedWhileCounting = 0;
  private current: number;
  /** Since the last adjustment: how long the sagas that ended took, and how many requests were refused. */
  private durations: number[] = [];
  private refusedSinceAdjusted = 0;
  /** The most unfinished instances counted since the last adjustment. */
  private fullestSinceAdjusted = 0;
  private adjustedAt: number;
  /** Each recent second's median saga time (of enough sagas), oldest first: the usual time is the least. */
  private medians: { at: number; ms: number }[] = [];

  constructor(private readonly options: UnfinishedSagaLimitOptions) {
    this.refreshMs = options.refreshMs ?? 1000;
    this.adjustEveryMs = options.adjustEveryMs ?? 1000;
    this.clock = options.clock ?? Date.now;
    this.min = Math.min(options.min ?? 4, options.max);
    this.current =
      options.targetMs === undefined ? options.max : Math.max(this.min, Math.round(options.max / 4));
    this.adjustedAt = this.clock();
    if (options.metrics) {
      const metrics = sagaMetrics(options.metrics);
      this.refused = metrics.admissionsRefused;
      metrics.watchAdmissionLimit(options.saga, () => this.current);
    }
  }

  /** The limit now. */
  get limit(): number {
    return this.current;
  }

  /**
   * Tells the limit that a saga this instance saw end took `durationMs` from its start. Its slot is
   * free at once: the count read before is lowered, so admissions between reads are not capped at
   * one limit's worth per `refreshMs` (the next read corrects what other instances ended).
   */
  finished(durationMs: number): void {
    if (this.counted && this.counted.unfinished > 0) this.counted.unfinished -= 1;
    if (this.options.targetMs === undefined) return;
    this.adjustIfDue();
    this.durations.push(durationMs);
  }

  /**
   * Whether one more instance may start now; counts it as started when it may. Only the first
   * count, and the first after a failed read, is waited for. A count that cannot be read admits:
   * the write that starts the saga meets the store next, and answers for it.
   */
  async admitOne(): Promise<boolean> {
    if (!this.counted) await this.refresh().catch(() => undefined);
    else if (this.clock() - this.counted.at >= this.refreshMs) void this.refresh().catch(() => undefined);
    // Checked and counted in one step after the await: requests that waited together see each other.
    const counted = this.counted;
    if (counted) this.fullestSinceAdjusted = Math.max(this.fullestSinceAdjusted, counted.unfinished);
    this.adjustIfDue();
    if (!counted) return true;
    if (counted.unfinished >= this.current) {
      this.refusedSinceAdjusted += 1;
      this.refused?.inc({ saga: this.options.saga });
      return false;
    }
    counted.unfinished += 1;
    if (this.counting) this.admittedWhileCounting += 1;
    return true;
  }

  private adjustIfDue(): void {
    const { targetMs, max } = this.options;
    const now = this.clock();
    if (targetMs === undefined || now - this.adjustedAt < this.adjustEveryMs) return;
    const durations = this.durations.sort((a, b) => a - b);
    const p90 = durations[Math.ceil(durations.length * 0.9) - 1];
    const allowedMs = Math.min(targetMs, (this.options.tolerance ?? 2) * this.usualMs(now, durations));
    // Slow, with the door full: what was let in is more than can be decided in time. Slow with the
    // door far from full is a stall (a rebalance, a restart), which refusing orders would not shorten.
    const full = this.refusedSinceAdjusted > 0 || this.fullestSinceAdjusted >= this.current * 0.8;
    if (p90 !== undefined && p90 > allowedMs && full)
      this.current = Math.max(this.min, Math.floor(this.current * 0.8));
    else if (p90 !== undefined && p90 <= allowedMs && this.refusedSinceAdjusted > 0)
      this.current = Math.min(max, Math.max(this.current + 1, Math.round(this.current * 1.1)));
    this.durations = [];
    this.refusedSinceAdjusted = 0;
    this.fullestSinceAdjusted = 0;
    this.adjustedAt = now;
  }

  /** The fastest median of a second in the window, this one's included; infinite before the first. */
  private usualMs(now: number, sortedDurations: readonly number[]): number {
    const windowMs = this.options.baselineWindowMs ?? 300_000;
    this.medians = this.medians.filter(({ at }) => now - at < windowMs);
    const median = sortedDurations[Math.ceil(sortedDurations.length / 2) - 1];
    if (median !== undefined && sortedDurations.length >= baselineSamples)
      this.medians.push({ at: now, ms: median });
    return this.medians.reduce((least, { ms }) => Math.min(least, ms), Number.POSITIVE_INFINITY);
  }

  /**
   * Reads the count; requests arriving together share one read. What was admitted meanwhile is
   * added to it (counted twice if the read saw it: the next read corrects that). A failed read
   * forgets the count, so the next request waits for a read, and admits if that fails too.
   */
  private refresh(): Promise<void> {
    this.counting ??= this.options.store
      .countUnfinished(this.options.saga)
      .then(
        (unfinished) => {
          this.counted = { unfinished: unfinished + this.admittedWhileCounting, at: this.clock() };
        },
        (error: unknown) => {
          this.counted = undefined;
          throw error;
        },
      )
      .finally(() => {
        this.counting = undefined;
        this.admittedWhileCounting = 0;
      });
    return this.counting;
  }
}
