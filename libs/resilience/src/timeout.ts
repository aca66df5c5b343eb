import type { Registry } from 'prom-client';
import { TimeoutError } from './errors';
import { rejectionsCounter } from './metrics';
import type { ExecutionContext, Operation, Policy } from './policy';

export interface TimeoutOptions {
  name: string;
  ms: number;
  registry?: Registry;
}

/**
 * Aborts the call's signal with a TimeoutError after `ms`, and rejects with it even if the call
 * ignores its signal. Only the time until the call resolves counts: a response body streamed
 * afterwards is not cut off.
 */
export function timeout(options: TimeoutOptions): Policy {
  const timeouts = options.registry && rejectionsCounter(options.registry);
  return {
    async run<T>(next: Operation<T>, context: ExecutionContext): Promise<T> {
      const expiry = new AbortController();
      const timer = setTimeout(() => expiry.abort(new TimeoutError(options.name, options.ms)), options.ms);
      let stopWatching = (): void => undefined;
      const expired = new Promise<never>((_resolve, reject) => {
        const onAbort = () => reject(expiry.signal.reason);
        expiry.signal.addEventListener('abort', onAbort, { once: true });
        stopWatching = () => expiry.signal.removeEventListener('abort', onAbort);
      });
      try {
        return await Promise.race([
          next({ ...context, signal: AbortSignal.any([context.signal, expiry.signal]) }),
          expired,
        ]);
      } catch (error) {
        if (!expiry.signal.aborted) throw error;
        timeouts?.inc({ name: options.name, policy: 'timeout' });
        // Whatever the aborted call threw (an AbortError, usually), the cause is the timeout.
        throw expiry.signal.reason;
      } finally {
        clearTimeout(timer);
        stopWatching();
      }
    },
  };
}
