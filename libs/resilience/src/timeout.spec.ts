import { Registry } from 'prom-client';
import { TimeoutError } from './errors';
import { compose } from './policy';
import { timeout } from './timeout';

describe('timeout', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('when the call outlasts the limit, then its signal is aborted with a TimeoutError and the call rejects with it', async () => {
    let seen: AbortSignal | undefined;
    const outcome = compose(timeout({ name: 'dep', ms: 100 }))
      .execute((signal) => {
        seen = signal;
        return new Promise<never>((_resolve, reject) =>
          signal.addEventListener('abort', () => reject(new Error('aborted'))),
        );
      })
      .catch((error: unknown) => error);
    await jest.advanceTimersByTimeAsync(99);
    expect(seen?.aborted).toBe(false);
    await jest.advanceTimersByTimeAsync(1);
    const error = await outcome;
    expect(error).toBeInstanceOf(TimeoutError);
    expect(error).toMatchObject({ policyName: 'dep', timeoutMs: 100 });
    expect(seen?.reason).toBe(error);
  });

  it('when the call ignores its signal, then it still rejects at the limit', async () => {
    const outcome = compose(timeout({ name: 'dep', ms: 50 }))
      .execute(() => new Promise<never>(() => undefined))
      .catch((error: unknown) => error);
    await jest.advanceTimersByTimeAsync(50);
    expect(await outcome).toBeInstanceOf(TimeoutError);
  });

  it('when the call finishes in time, then its result is returned and the signal is never aborted', async () => {
    let seen: AbortSignal | undefined;
    const result = await compose(timeout({ name: 'dep', ms: 50 })).execute(async (signal) => {
      seen = signal;
      return 'ok';
    });
    await jest.advanceTimersByTimeAsync(1000);
    expect(result).toBe('ok');
    expect(seen?.aborted).toBe(false);
  });

  it('when the call fails in time, then its own error comes through', async () => {
    const failure = new Error('refused');
    await expect(
      compose(timeout({ name: 'dep', ms: 50 })).execute(() => Promise.reject(failure)),
    ).rejects.toBe(failure);
  });

  it('when the caller aborts, then the call signal is aborted with the caller reason', async () => {
    const caller = new AbortController();
    let seen: AbortSignal | undefined;
    const outcome = compose(timeout({ name: 'dep', ms: 1000 }))
      .execute(
        (signal) => {
          seen = signal;
          return new Promise<never>((_resolve, reject) =>
            signal.addEventListener('abort', () => reject(signal.reason)),
          );
        },
        { signal: caller.signal },
      )
      .catch((error: unknown) => error);
    const reason = new Error('caller left');
    caller.abort(reason);
    expect(await outcome).toBe(reason);
    expect(seen?.reason).toBe(reason);
  });

  it('when a timeout fires, then it is counted as a timeout rejection', async () => {
    const registry = new Registry();
    const outcome = compose(timeout({ name: 'dep', ms: 10, registry }))
      .execute(() => new Promise<never>(() => undefined))
      .catch(() => undefined);
    await jest.advanceTimersByTimeAsync(10);
    await outcome;
    const metric = await registry.getSingleMetric('resilience_rejections_total')?.get();
    expect(metric?.values).toEqual([{ labels: { name: 'dep', policy: 'timeout' }, value: 1 }]);
  });
});
