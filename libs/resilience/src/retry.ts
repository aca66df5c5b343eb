import type { Registry } from 'prom-client';
import { fullJitterDelay, sleep } from './backoff';
import { BulkheadRejectedError, CircuitOpenError } from './errors';
import { type ResilienceLogger, silentLogger } from './logger';
import { retriesCounter } from './metrics';
import type { ExecutionContext, Operation, Policy } from './policy';

export interface RetryOptions {
  name: string;
  /** Attempts in all, the first included. */
  maxAttempts?: number;
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** Which failures are worth another attempt; refusals of a breaker or bulkhead never are. */
  shouldRetry?: (error: unknown) => boolean;
  /** Injected in tests; Math.random otherwise. */
  random?: () => number;
  registry?: Registry;
  logger?: ResilienceLogger;
}

const isRefusal = (error: unknown) =>
  error instanceof CircuitOpenError || error instanceof BulkheadRejectedError;

/**
 * Repeats a failed call with exponential backoff and full jitter, but only a call marked
 * idempotent: repeating anything else could do it twice. A caller that gave up stops the retries.
 */
export function retry(options: RetryOptions): Policy {
  const maxAttempts = options.maxAttempts ?? 3;
  const baseDelayMs = options.baseDelayMs ?? 100;
  const maxDelayMs = options.maxDelayMs ?? 5000;
  const shouldRetry = options.shouldRetry ?? (() => true);
  const random = options.random ?? Math.random;
  const logger = options.logger ?? silentLogger;
  const retries = options.registry && retriesCounter(options.registry);
  return {
    async run<T>(next: Operation<T>, context: ExecutionContext): Promise<T> {
      for (let attempt = 1; ; attempt += 1) {
        try {
          return await next(context);
        } catch (error) {
          const retryable =
            context.idempotent &&
            attempt < maxAttempts &&
            !context.signal.aborted &&
            !isRefusal(error) &&
            shouldRetry(error);
          if (!retryable) throw error;
          const delayMs = fullJitterDelay(attempt, baseDelayMs, maxDelayMs, random);
          retries?.inc({ name: options.name });
          logger.log(
            { name: options.name, attempt, delayMs, err: error },
            `retrying ${options.name} in ${delayMs} ms`,
          );
          await sleep(delayMs, context.signal);
        }
      }
    },
  };
}
