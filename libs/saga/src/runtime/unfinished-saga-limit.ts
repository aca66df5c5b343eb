import type { Counter, Registry } from 'prom-client';
import type { SagaStore } from '../store/saga-store.port';
import { sagaMetrics } from './saga-metrics';

export interface UnfinishedSagaLimitOptions {
  store: Pick<SagaStore, 'countUnfinished'>;
  saga: string;
  /** No new instance starts while this many are unfinished (RUNNING or COMPENSATING), across every instance of the service. */
  max: number;
  /** How long a count read from the store is reused; admissions meanwhile are added to it. */
  refreshMs?: number;
  clock?: () => number;
  /** Where `saga_admissions_refused_total{saga}` is counted. */
  metrics?: Registry;
}

/**
 * Back-pressure at a saga's door. Under more load than the participants can serve, unfinished
 * sagas pile up, their commands wait in the participants' lag and their deadlines fire before the
 * work is done: every order late, many cancelled for TIMEOUT. Bounding the unfinished instances
 * keeps the backlog small enough to finish in time, and refuses the rest up front, where a client
 * can try again later. The count is the store's (so it holds across the service's instances and
 * restarts), read at most once per `refreshMs` however many requests ask; each admission in
 * between is added to it, so a burst cannot overshoot by more than the other instances admit.
 */
export class UnfinishedSagaLimit {
  private readonly refreshMs: number;
  private readonly clock: () => number;
  private readonly refused: Counter<'saga'> | undefined;
  private counted: { unfinished: number; at: number } | undefined;
  private counting: Promise<void> | undefined;

  constructor(private readonly options: UnfinishedSagaLimitOptions) {
    this.refreshMs = options.refreshMs ?? 250;
    this.clock = options.clock ?? Date.now;
    this.refused = options.metrics && sagaMetrics(options.metrics).admissionsRefused;
  }

  /**
   * Whether one more instance may start now; counts it as started when it may. A count that cannot
   * be read admits: the write that starts the saga meets the store next, and answers for it.
   */
  async admitOne(): Promise<boolean> {
    const read = await this.refreshIfStale().then(
      () => true,
      () => false,
    );
    // Checked and counted in one step after the await: requests that waited together see each other.
    const counted = this.counted;
    if (!read || !counted) return true;
    if (counted.unfinished >= this.options.max) {
      this.refused?.inc({ saga: this.options.saga });
      return false;
    }
    counted.unfinished += 1;
    return true;
  }

  private async refreshIfStale(): Promise<void> {
    if (this.counted && this.clock() - this.counted.at < this.refreshMs) return;
    // Requests arriving together share one count.
    this.counting ??= this.options.store
      .countUnfinished(this.options.saga)
      .then((unfinished) => {
        this.counted = { unfinished, at: this.clock() };
      })
      .finally(() => (this.counting = undefined));
    await this.counting;
  }
}
