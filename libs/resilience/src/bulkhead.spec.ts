import { Registry } from 'prom-client';
import { bulkhead } from './bulkhead';
import { BulkheadRejectedError } from './errors';
import { compose } from './policy';

/** A call that stays in flight until the test settles it. */
function controllable() {
  let settle!: { resolve: (value: string) => void; reject: (error: Error) => void };
  const started = jest.fn();
  const call = () =>
    new Promise<string>((resolve, reject) => {
      started();
      settle = { resolve, reject };
    });
  return { call, started, settle: () => settle };
}

const flush = () => new Promise((resolve) => setImmediate(resolve));

describe('bulkhead', () => {
  it('when slots and queue are full, then the next call is refused at once without running', async () => {
    const registry = new Registry();
    const logger = { log: jest.fn(), warn: jest.fn() };
    const cap = bulkhead({ name: 'dep', maxConcurrent: 1, maxQueue: 1, registry, logger });
    const policy = compose(cap);
    const first = controllable();
    const queued = controllable();
    void policy.execute(first.call);
    void policy.execute(queued.call);
    await flush();
    expect([cap.active, cap.queued]).toEqual([1, 1]);

    const refused = jest.fn(async () => 'never');
    await expect(policy.execute(refused)).rejects.toBeInstanceOf(BulkheadRejectedError);
    expect(refused).not.toHaveBeenCalled();
    const metric = await registry.getSingleMetric('resilience_rejections_total')?.get();
    expect(metric?.values).toEqual([{ labels: { name: 'dep', policy: 'bulkhead' }, value: 1 }]);
    expect(logger.warn).toHaveBeenCalledTimes(1);
  });

  it('when a call completes, then its slot goes to the first queued call', async () => {
    const policy = compose(bulkhead({ name: 'dep', maxConcurrent: 1, maxQueue: 1 }));
    const first = controllable();
    const second = controllable();
    const firstOutcome = policy.execute(first.call);
    const secondOutcome = policy.execute(second.call);
    await flush();
    expect(second.started).not.toHaveBeenCalled();
    first.settle().resolve('one');
    await expect(firstOutcome).resolves.toBe('one');
    await flush();
    expect(second.started).toHaveBeenCalled();
    second.settle().resolve('two');
    await expect(secondOutcome).resolves.toBe('two');
  });

  it('when a call fails, then its slot is freed as well', async () => {
    const cap = bulkhead({ name: 'dep', maxConcurrent: 1, maxQueue: 0 });
    const policy = compose(cap);
    const first = controllable();
    const outcome = policy.execute(first.call);
    await flush();
    first.settle().reject(new Error('down'));
    await expect(outcome).rejects.toThrow('down');
    expect(cap.active).toBe(0);
    await expect(policy.execute(async () => 'after')).resolves.toBe('after');
  });

  it('when a queued caller gives up, then it leaves the queue and its place is free', async () => {
    const cap = bulkhead({ name: 'dep', maxConcurrent: 1, maxQueue: 1 });
    const policy = compose(cap);
    void policy.execute(controllable().call);
    const caller = new AbortController();
    const waiting = policy.execute(async () => 'never', { signal: caller.signal });
    await flush();
    caller.abort(new Error('caller left'));
    await expect(waiting).rejects.toThrow('caller left');
    expect(cap.queued).toBe(0);
  });
});
