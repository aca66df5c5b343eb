import { Registry } from 'prom-client';
import { type CircuitBreakerPolicy, circuitBreaker } from './circuit-breaker';
import { CircuitOpenError } from './errors';
import { compose } from './policy';

const failing = () => Promise.reject(new Error('down'));
const healthy = async () => 'ok';

describe('circuitBreaker', () => {
  let breaker: CircuitBreakerPolicy;
  let registry: Registry;
  const logger = { log: jest.fn(), warn: jest.fn() };
  beforeEach(() => {
    jest.useFakeTimers();
    registry = new Registry();
    breaker = circuitBreaker({
      name: 'dep',
      volumeThreshold: 4,
      errorThresholdPercent: 50,
      resetMs: 1000,
      windowMs: 10_000,
      registry,
      logger,
    });
  });
  afterEach(() => {
    breaker.shutdown();
    jest.useRealTimers();
  });
  const execute = (call: (signal: AbortSignal) => Promise<string>, signal?: AbortSignal) =>
    compose(breaker).execute(call, signal ? { signal } : {});
  const failTimes = async (count: number) => {
    for (let call = 0; call < count; call += 1) await execute(failing).catch(() => undefined);
  };
  const gauge = async () =>
    (await registry.getSingleMetric('resilience_circuit_state')?.get())?.values[0]?.value;

  it('when it starts, then it is closed and the gauge says 0', async () => {
    expect(breaker.state).toBe('closed');
    expect(await gauge()).toBe(0);
  });

  it('when failures stay below the volume threshold, then it stays closed', async () => {
    await failTimes(3);
    expect(breaker.state).toBe('closed');
  });

  it('when failures reach the threshold, then it opens, refuses without calling, and reports it', async () => {
    await failTimes(4);
    expect(breaker.state).toBe('open');
    expect(await gauge()).toBe(2);
    expect(logger.warn).toHaveBeenCalledWith({ name: 'dep', state: 'open' }, 'circuit of dep opened');

    jest.advanceTimersByTime(400);
    const call = jest.fn(healthy);
    const refusal = await execute(call).catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(CircuitOpenError);
    expect(refusal).toMatchObject({ policyName: 'dep', retryAfterMs: 600 });
    expect(call).not.toHaveBeenCalled();
    const rejections = await registry.getSingleMetric('resilience_rejections_total')?.get();
    expect(rejections?.values).toEqual([{ labels: { name: 'dep', policy: 'circuit-breaker' }, value: 1 }]);
  });

  it('when the reset time passes, then it half-opens and one success closes it', async () => {
    await failTimes(4);
    jest.advanceTimersByTime(999);
    expect(breaker.state).toBe('open');
    jest.advanceTimersByTime(1);
    expect(breaker.state).toBe('half-open');
    expect(await gauge()).toBe(1);
    await expect(execute(healthy)).resolves.toBe('ok');
    expect(breaker.state).toBe('closed');
    expect(await gauge()).toBe(0);
  });

  it('when the trial call of a half-open circuit fails, then it opens again', async () => {
    await failTimes(4);
    jest.advanceTimersByTime(1000);
    await failTimes(1);
    expect(breaker.state).toBe('open');
  });

  it('when errors are not failures by isFailure, then they never open it', async () => {
    breaker.shutdown();
    breaker = circuitBreaker({ name: 'dep', volumeThreshold: 2, isFailure: () => false });
    await failTimes(10);
    expect(breaker.state).toBe('closed');
  });

  it('when callers give up on their calls, then those calls never open it', async () => {
    for (let call = 0; call < 8; call += 1) {
      const caller = new AbortController();
      const outcome = execute(
        (signal) =>
          new Promise<string>((_resolve, reject) =>
            signal.addEventListener('abort', () => reject(signal.reason)),
          ),
        caller.signal,
      ).catch(() => undefined);
      caller.abort();
      await outcome;
    }
    expect(breaker.state).toBe('closed');
  });
});
