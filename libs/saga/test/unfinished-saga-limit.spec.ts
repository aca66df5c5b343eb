import { Registry } from 'prom-client';
import { UnfinishedSagaLimit } from '../src';

/** A store whose count the test sets, and which counts how often it was asked. */
class CountingStore {
  unfinished = 0;
  reads = 0;
  failing = false;
  async countUnfinished(saga: string): Promise<number> {
    expect(saga).toBe('order');
    this.reads += 1;
    if (this.failing) throw new Error('MongoDB did not answer');
    return this.unfinished;
  }
}

describe('UnfinishedSagaLimit', () => {
  let store: CountingStore;
  let now: number;
  let metrics: Registry;
  const limitOf = (max: number) =>
    new UnfinishedSagaLimit({ store, saga: 'order', max, refreshMs: 250, clock: () => now, metrics });

  beforeEach(() => {
    store = new CountingStore();
    now = 0;
    metrics = new Registry();
  });

  it('when fewer than the limit are unfinished, then it admits until the limit, counting its own admissions', async () => {
    store.unfinished = 3;
    const limit = limitOf(5);
    expect(await limit.admitOne()).toBe(true);
    expect(await limit.admitOne()).toBe(true);
    expect(await limit.admitOne()).toBe(false);
    expect(store.reads).toBe(1);
    expect(await metrics.getSingleMetricAsString('saga_admissions_refused_total')).toContain(
      'saga_admissions_refused_total{saga="order"} 1',
    );
  });

  it('when many ask at once, then one count is read and no more than the limit are admitted', async () => {
    store.unfinished = 90;
    const limit = limitOf(100);
    const answers = await Promise.all(Array.from({ length: 25 }, () => limit.admitOne()));
    expect(answers.filter(Boolean)).toHaveLength(10);
    expect(store.reads).toBe(1);
  });

  it('when the count is older than refreshMs, then it is read again: finished sagas make room', async () => {
    store.unfinished = 2;
    const limit = limitOf(2);
    expect(await limit.admitOne()).toBe(false);
    store.unfinished = 1;
    now = 249;
    expect(await limit.admitOne()).toBe(false);
    now = 250;
    expect(await limit.admitOne()).toBe(true);
    expect(store.reads).toBe(2);
  });

  it('when the count cannot be read, then it admits: the write that starts the saga answers for the store', async () => {
    store.unfinished = 10;
    const limit = limitOf(1);
    expect(await limit.admitOne()).toBe(false);
    store.failing = true;
    now = 1000;
    expect(await limit.admitOne()).toBe(true);
  });
});
