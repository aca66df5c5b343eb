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

/** Lets a read started in the background land. */
const settled = () => new Promise((resolve) => setImmediate(resolve));

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

  it('when the count is older than refreshMs, then it is read again in the background: finished sagas make room', async () => {
    store.unfinished = 2;
    const limit = limitOf(2);
    expect(await limit.admitOne()).toBe(false);
    store.unfinished = 1;
    now = 249;
    expect(await limit.admitOne()).toBe(false);
    expect(store.reads).toBe(1);
    now = 250;
    expect(await limit.admitOne()).toBe(false); // decided with the count it had, while the new one is read
    await settled();
    expect(await limit.admitOne()).toBe(true);
    expect(store.reads).toBe(2);
  });

  it('when requests are admitted while a count is read, then they are added to it: a read cannot free their slots', async () => {
    store.unfinished = 1;
    const limit = limitOf(3);
    expect(await limit.admitOne()).toBe(true);
    now = 250;
    let answer: (unfinished: number) => void = () => undefined;
    store.countUnfinished = () => new Promise<number>((resolve) => (answer = resolve));
    expect(await limit.admitOne()).toBe(true); // starts the read, admitted on the old count (3 of 3 now)
    answer(1); // the read saw none of the two admitted since the first count
    await settled();
    expect(await limit.admitOne()).toBe(true); // 1 + 1 admitted while reading: 2 of 3
    expect(await limit.admitOne()).toBe(false);
  });

  it('when a saga ends on this instance, then its slot is free before the count is read again', async () => {
    store.unfinished = 1;
    const limit = limitOf(2);
    expect(await limit.admitOne()).toBe(true);
    expect(await limit.admitOne()).toBe(false);
    limit.finished(40);
    expect(await limit.admitOne()).toBe(true);
    expect(await limit.admitOne()).toBe(false);
    expect(store.reads).toBe(1);
  });

  it('when the count cannot be read, then it is forgotten and the next request admits: the write that starts the saga answers for the store', async () => {
    store.unfinished = 10;
    const limit = limitOf(1);
    expect(await limit.admitOne()).toBe(false);
    store.failing = true;
    now = 1000;
    expect(await limit.admitOne()).toBe(false); // the background read fails
    await settled();
    expect(await limit.admitOne()).toBe(true); // waits for a read, which fails
    expect(store.reads).toBe(3);
  });

  describe('with a target time (the limit adapts)', () => {
    const adaptive = (options: { max: number; min: number }) =>
      new UnfinishedSagaLimit({
        store,
        saga: 'order',
        ...options,
        targetMs: 4000,
        // Half the adjustment's pace: a test can let a new count land between two adjustments.
        refreshMs: 500,
        clock: () => now,
        metrics,
      });
    const limitMetric = async () => metrics.getSingleMetricAsString('saga_admission_limit');

    it('when it starts, then its limit is a quarter of max, and never below min', () => {
      expect(adaptive({ max: 200, min: 20 }).limit).toBe(50);
      expect(adaptive({ max: 40, min: 20 }).limit).toBe(20);
    });

    it('when the sagas that ended took longer than the target while the door was full, then each second the limit shrinks by a fifth, down to min', async () => {
      const limit = adaptive({ max: 200, min: 20 });
      store.unfinished = 1000;
      const shrinks: number[] = [];
      for (let second = 1; second <= 8; second += 1) {
        for (let index = 0; index < 10; index += 1) limit.finished(index < 8 ? 1000 : 9000);
        now = second * 1000;
        await limit.admitOne();
        shrinks.push(limit.limit);
      }
      expect(shrinks).toEqual([40, 32, 25, 20, 20, 20, 20, 20]);
      expect(await limitMetric()).toContain('saga_admission_limit{saga="order"} 20');
    });

    it('when requests are refused while the sagas end within the target, then each second it grows by a tenth, up to max', async () => {
      const limit = adaptive({ max: 30, min: 20 });
      store.unfinished = 1000;
      const grown: number[] = [];
      for (let second = 1; second <= 6; second += 1) {
        expect(await limit.admitOne()).toBe(false);
        limit.finished(500);
        now = second * 1000;
        await limit.admitOne();
        grown.push(limit.limit);
      }
      expect(grown).toEqual([22, 24, 26, 29, 30, 30]);
    });

    it('when the sagas took more than twice their usual time while the door was full, then it shrinks even within the target: they waited in queues', async () => {
      const limit = adaptive({ max: 200, min: 4 });
      store.unfinished = 10; // far from full: the usual time is learnt, nothing changes
      for (let index = 0; index < 5; index += 1) limit.finished(300);
      now = 1000;
      await limit.admitOne();
      expect(limit.limit).toBe(50);
      store.unfinished = 1000; // full, and 700 ms > 2 × 300 ms, though well within 4000 ms
      now = 1500;
      await limit.admitOne();
      await settled();
      for (let index = 0; index < 5; index += 1) limit.finished(700);
      now = 2000;
      await limit.admitOne();
      expect(limit.limit).toBe(40);
      for (let index = 0; index < 5; index += 1) limit.finished(550); // within twice the usual: it grows again
      now = 3000;
      await limit.admitOne();
      expect(limit.limit).toBe(44);
    });

    it('when the usual time was learnt longer ago than the window, then it is forgotten', async () => {
      const limit = new UnfinishedSagaLimit({
        store,
        saga: 'order',
        max: 200,
        min: 4,
        targetMs: 4000,
        baselineWindowMs: 10_000,
        refreshMs: 500,
        clock: () => now,
      });
      for (let index = 0; index < 5; index += 1) limit.finished(300);
      now = 1000;
      await limit.admitOne();
      store.unfinished = 1000;
      now = 20_000;
      await limit.admitOne(); // the second of 300 ms falls out of the window
      await settled();
      expect(await limit.admitOne()).toBe(false); // the new count: full
      for (let index = 0; index < 5; index += 1) limit.finished(700);
      now = 21_000;
      await limit.admitOne();
      expect(limit.limit).toBe(55); // 700 ms is now the usual time: refused requests make it grow
    });

    it('when the sagas that ended took longer than the target while the door was far from full, then it stays: a stall, not too many admitted', async () => {
      const limit = adaptive({ max: 200, min: 20 });
      store.unfinished = 30; // under four fifths of 50
      expect(await limit.admitOne()).toBe(true);
      limit.finished(9000);
      now = 1000;
      await limit.admitOne();
      expect(limit.limit).toBe(50);
    });

    it('when nothing ended, or nothing was refused, then it stays as it is', async () => {
      const limit = adaptive({ max: 200, min: 20 });
      store.unfinished = 1000;
      expect(await limit.admitOne()).toBe(false); // refused, but no saga ended: no sign the platform keeps up
      store.unfinished = 0;
      now = 500;
      await limit.admitOne();
      await settled();
      now = 1000;
      expect(await limit.admitOne()).toBe(true);
      expect(limit.limit).toBe(50);
      limit.finished(500); // ended in time, but nobody was refused: no reason to grow
      now = 2000;
      await limit.admitOne();
      expect(limit.limit).toBe(50);
    });
  });
});
