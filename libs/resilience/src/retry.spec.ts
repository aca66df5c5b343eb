import { Registry } from 'prom-client';
import { BulkheadRejectedError, CircuitOpenError } from './errors';
import { compose } from './policy';
import { retry } from './retry';

/** A call failing `failures` times, then answering 'ok'. */
function flaky(failures: number) {
  const call = jest.fn(async () => {
    if (call.mock.calls.length <= failures) throw new Error(`failure ${call.mock.calls.length}`);
    return 'ok';
  });
  return call;
}

describe('retry', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('when an idempotent call fails, then it is repeated after full-jitter delays and its result returned', async () => {
    const call = flaky(2);
    const policy = compose(retry({ name: 'dep', maxAttempts: 3, baseDelayMs: 100, random: () => 0.5 }));
    const outcome = policy.execute(call, { idempotent: true });
    await jest.advanceTimersByTimeAsync(0);
    expect(call).toHaveBeenCalledTimes(1);
    // First retry: half of 100 ms.
    await jest.advanceTimersByTimeAsync(49);
    expect(call).toHaveBeenCalledTimes(1);
    await jest.advanceTimersByTimeAsync(1);
    expect(call).toHaveBeenCalledTimes(2);
    // Second retry: half of 200 ms.
    await jest.advanceTimersByTimeAsync(99);
    expect(call).toHaveBeenCalledTimes(2);
    await jest.advanceTimersByTimeAsync(1);
    await expect(outcome).resolves.toBe('ok');
    expect(call).toHaveBeenCalledTimes(3);
  });

  it('when a call is not marked idempotent, then a failure is never repeated', async () => {
    const call = flaky(1);
    await expect(compose(retry({ name: 'dep' })).execute(call)).rejects.toThrow('failure 1');
    expect(call).toHaveBeenCalledTimes(1);
  });

  it('when every attempt fails, then the last failure is thrown after maxAttempts', async () => {
    const call = flaky(10);
    const outcome = compose(retry({ name: 'dep', maxAttempts: 3, random: () => 0 }))
      .execute(call, { idempotent: true })
      .catch((error: unknown) => error);
    await jest.runAllTimersAsync();
    expect(await outcome).toEqual(new Error('failure 3'));
    expect(call).toHaveBeenCalledTimes(3);
  });

  it.each([new CircuitOpenError('dep', 10), new BulkheadRejectedError('dep')])(
    'when the call is refused with %p, then it is not repeated',
    async (refusal) => {
      const call = jest.fn(() => Promise.reject(refusal));
      await expect(
        compose(retry({ name: 'dep', random: () => 0 })).execute(call, { idempotent: true }),
      ).rejects.toBe(refusal);
      expect(call).toHaveBeenCalledTimes(1);
    },
  );

  it('when shouldRetry declines the error, then it is not repeated', async () => {
    const call = flaky(1);
    const policy = compose(retry({ name: 'dep', shouldRetry: () => false, random: () => 0 }));
    await expect(policy.execute(call, { idempotent: true })).rejects.toThrow('failure 1');
    expect(call).toHaveBeenCalledTimes(1);
  });

  it('when the caller aborts during the backoff, then no further attempt is made', async () => {
    const caller = new AbortController();
    const call = flaky(5);
    const outcome = compose(retry({ name: 'dep', baseDelayMs: 1000, random: () => 0.5 }))
      .execute(call, { idempotent: true, signal: caller.signal })
      .catch((error: unknown) => error);
    await jest.advanceTimersByTimeAsync(0);
    const reason = new Error('caller left');
    caller.abort(reason);
    await jest.advanceTimersByTimeAsync(10_000);
    expect(await outcome).toBe(reason);
    expect(call).toHaveBeenCalledTimes(1);
  });

  it('when a call is retried, then each retry is counted and logged', async () => {
    const registry = new Registry();
    const logger = { log: jest.fn(), warn: jest.fn() };
    const outcome = compose(retry({ name: 'dep', random: () => 0, registry, logger })).execute(flaky(2), {
      idempotent: true,
    });
    await jest.runAllTimersAsync();
    await outcome;
    const metric = await registry.getSingleMetric('resilience_retries_total')?.get();
    expect(metric?.values).toEqual([{ labels: { name: 'dep' }, value: 2 }]);
    expect(logger.log).toHaveBeenCalledTimes(2);
  });
});
