import type { Registry } from 'prom-client';
import { BulkheadRejectedError } from './errors';
import { type ResilienceLogger, silentLogger } from './logger';
import { rejectionsCounter } from './metrics';
import type { ExecutionContext, Operation, Policy } from './policy';

export interface BulkheadOptions {
  name: string;
  maxConcurrent: number;
  /** Calls that may wait for a slot; beyond that, calls are refused at once. */
  maxQueue: number;
  registry?: Registry;
  logger?: ResilienceLogger;
}

export interface BulkheadPolicy extends Policy {
  readonly active: number;
  readonly queued: number;
}

/**
 * A concurrency cap with a bounded queue, so a slow dependency holds at most `maxConcurrent`
 * calls and `maxQueue` waiters instead of every request of the service.
 */
export function bulkhead(options: BulkheadOptions): BulkheadPolicy {
  const logger = options.logger ?? silentLogger;
  const rejections = options.registry && rejectionsCounter(options.registry);
  const waiting: Array<() => void> = [];
  let active = 0;
  let full = false;

  const release = () => {
    const nextInLine = waiting.shift();
    // The slot passes straight to the next waiter, so a newcomer cannot overtake the queue.
    if (nextInLine) nextInLine();
    else active -= 1;
    if (full && waiting.length < options.maxQueue) {
      full = false;
      logger.log({ name: options.name }, `bulkhead of ${options.name} accepts calls again`);
    }
  };

  const acquire = (signal: AbortSignal): Promise<void> => {
    if (active < options.maxConcurrent) {
      active += 1;
      return Promise.resolve();
    }
    if (waiting.length >= options.maxQueue) {
      rejections?.inc({ name: options.name, policy: 'bulkhead' });
      if (!full) {
        full = true;
        logger.warn({ name: options.name }, `bulkhead of ${options.name} is full, refusing calls`);
      }
      return Promise.reject(new BulkheadRejectedError(options.name));
    }
    return new Promise((resolve, reject) => {
      const onAbort = () => {
        waiting.splice(waiting.indexOf(admit), 1);
        reject(signal.reason);
      };
      const admit = () => {
        signal.removeEventListener('abort', onAbort);
        resolve();
      };
      waiting.push(admit);
      signal.addEventListener('abort', onAbort, { once: true });
    });
  };

  return {
    get active() {
      return active;
    },
    get queued() {
      return waiting.length;
    },
    async run<T>(next: Operation<T>, context: ExecutionContext): Promise<T> {
      await acquire(context.signal);
      try {
        return await next(context);
      } finally {
        release();
      }
    },
  };
}
