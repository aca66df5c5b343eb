import CircuitBreaker from 'opossum';
import type { Registry } from 'prom-client';
import { CircuitOpenError } from './errors';
import { type ResilienceLogger, silentLogger } from './logger';
import { circuitStateGauge, rejectionsCounter } from './metrics';
import type { ExecutionContext, Operation, Policy } from './policy';

export type CircuitState = 'closed' | 'half-open' | 'open';

/** The gauge's encoding of a state, for `resilience_circuit_state` and callers' own gauges. */
export const circuitStateValue: Record<CircuitState, number> = { closed: 0, 'half-open': 1, open: 2 };

export interface CircuitBreakerOptions {
  name: string;
  /** How long the circuit stays open before a trial call is let through. */
  resetMs?: number;
  /** Failure share of the window above which the circuit opens... */
  errorThresholdPercent?: number;
  /** ...once the window holds at least this many calls. */
  volumeThreshold?: number;
  windowMs?: number;
  /** Which errors say something about the dependency; all of them, by default. */
  isFailure?: (error: unknown) => boolean;
  registry?: Registry;
  logger?: ResilienceLogger;
}

export interface CircuitBreakerPolicy extends Policy {
  readonly name: string;
  readonly state: CircuitState;
  /** Calls `listener` on every change of state. */
  onStateChange(listener: (state: CircuitState) => void): void;
  /** Stops opossum's timers. */
  shutdown(): void;
}

type Fire = [Operation<unknown>, ExecutionContext];

/**
 * An opossum breaker. Its own timeout is off: the timeout policy aborts the call's signal, which
 * opossum's (one AbortController per breaker) cannot do per call. A call its caller gave up on
 * says nothing about the dependency, so it never counts as a failure.
 */
export function circuitBreaker(options: CircuitBreakerOptions): CircuitBreakerPolicy {
  const resetMs = options.resetMs ?? 30_000;
  const windowMs = options.windowMs ?? 10_000;
  const isFailure = options.isFailure ?? (() => true);
  const logger = options.logger ?? silentLogger;
  const breaker = new CircuitBreaker<Fire, unknown>((operation, context) => operation(context), {
    name: options.name,
    timeout: false,
    resetTimeout: resetMs,
    errorThresholdPercentage: options.errorThresholdPercent ?? 50,
    volumeThreshold: options.volumeThreshold ?? 5,
    rollingCountTimeout: windowMs,
    // opossum needs the window to divide evenly into its buckets.
    rollingCountBuckets: windowMs % 10 === 0 ? 10 : 1,
    // opossum passes the fire arguments after the error; its typings omit them.
    errorFilter: ((error: unknown, _operation: Operation<unknown>, context: ExecutionContext) =>
      context.signal.aborted || !isFailure(error)) as (error: unknown) => boolean,
  });
  let openedAt = 0;
  breaker.on('open', () => (openedAt = Date.now()));

  const stateOf = (): CircuitState => (breaker.opened ? 'open' : breaker.halfOpen ? 'half-open' : 'closed');
  const onStateChange = (listener: (state: CircuitState) => void) => {
    breaker.on('open', () => listener('open'));
    breaker.on('halfOpen', () => listener('half-open'));
    breaker.on('close', () => listener('closed'));
  };

  onStateChange((state) => {
    const line = { name: options.name, state };
    if (state === 'open') logger.warn(line, `circuit of ${options.name} opened`);
    else logger.log(line, `circuit of ${options.name} is ${state}`);
  });
  const rejections = options.registry && rejectionsCounter(options.registry);
  const policy: CircuitBreakerPolicy = {
    name: options.name,
    get state() {
      return stateOf();
    },
    onStateChange,
    shutdown: () => breaker.shutdown(),
    async run<T>(next: Operation<T>, context: ExecutionContext): Promise<T> {
      try {
        return (await breaker.fire(next, context)) as T;
      } catch (error) {
        if ((error as { code?: unknown }).code !== 'EOPENBREAKER') throw error;
        rejections?.inc({ name: options.name, policy: 'circuit-breaker' });
        // Half-open with its trial call in flight also refuses: then the trial's answer is due, not a reset.
        throw new CircuitOpenError(options.name, Math.max(0, openedAt + resetMs - Date.now()));
      }
    },
  };
  if (options.registry) reportCircuitState(policy, options.registry);
  return policy;
}

/** Exposes a breaker's state as `resilience_circuit_state{name}`, for breakers built before the registry. */
export function reportCircuitState(breaker: CircuitBreakerPolicy, registry: Registry): void {
  const gauge = circuitStateGauge(registry);
  gauge.set({ name: breaker.name }, circuitStateValue[breaker.state]);
  breaker.onStateChange((state) => gauge.set({ name: breaker.name }, circuitStateValue[state]));
}
