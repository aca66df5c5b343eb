/** What every policy sees of a call: who may cancel it, and whether repeating it is safe. */
export interface ExecutionContext {
  /** Aborted when the caller gives up or an enclosing timeout fires; the call should stop then. */
  readonly signal: AbortSignal;
  /** Only idempotent calls are ever retried. */
  readonly idempotent: boolean;
}

export type Operation<T> = (context: ExecutionContext) => Promise<T>;

/** One concern wrapped around a call: it may run `next` once, several times, or not at all. */
export interface Policy {
  run<T>(next: Operation<T>, context: ExecutionContext): Promise<T>;
}

export interface ExecuteOptions {
  signal?: AbortSignal;
  idempotent?: boolean;
}

export interface ComposedPolicy {
  /** Runs `call` through every policy, the first given outermost. */
  execute<T>(call: (signal: AbortSignal) => Promise<T>, options?: ExecuteOptions): Promise<T>;
}

/** `compose(bulkhead(...), circuitBreaker(...), retry(...), timeout(...))`: outermost first. */
export function compose(...policies: Policy[]): ComposedPolicy {
  return {
    execute<T>(call: (signal: AbortSignal) => Promise<T>, options: ExecuteOptions = {}): Promise<T> {
      const context: ExecutionContext = {
        signal: options.signal ?? new AbortController().signal,
        idempotent: options.idempotent ?? false,
      };
      if (context.signal.aborted) return Promise.reject(context.signal.reason);
      const innermost: Operation<T> = (inner) => call(inner.signal);
      const chain = policies.reduceRight<Operation<T>>(
        (next, policy) => (inner) => policy.run(next, inner),
        innermost,
      );
      return chain(context);
    },
  };
}
