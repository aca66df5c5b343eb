/**
 * Which service the code running now belongs to. A process that hosts one service (the local,
 * compose and production profiles) never sets it; the embedded profile hosts every service in one
 * process and starts each inside `runAsService`, so whatever that service starts (its HTTP server,
 * consumers, timers) runs under its name, and its log lines and spans say so.
 *
 * Plain Node on purpose: the tracing entry point imports it before anything else is loaded.
 */
import { AsyncLocalStorage } from 'node:async_hooks';

const serviceContext = new AsyncLocalStorage<string>();

/**
 * Runs `start` as service `name`: everything it starts, synchronously or later (a server's
 * requests, a subscription's deliveries, a timer), keeps that name as its async context.
 */
export function runAsService<T>(name: string, start: () => T): T {
  return serviceContext.run(name, start);
}

/** The service whose work is running now, when the process hosts several; undefined otherwise. */
export function serviceInContext(): string | undefined {
  return serviceContext.getStore();
}
