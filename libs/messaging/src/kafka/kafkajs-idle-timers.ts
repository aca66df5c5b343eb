/** What the fix touches of kafkajs' per-connection request queue (kafkajs/src/network/requestQueue). */
interface RequestQueue {
  pending: unknown[];
  inflight: Map<number, { sentAt: number; requestTimeout: number; timeoutRequest(): void }>;
  throttledUntil: number;
  throttleCheckTimeoutId: NodeJS.Timeout | null;
  requestTimeout: number;
  enforceRequestTimeout: boolean;
  requestTimeoutIntervalId?: NodeJS.Timeout;
  isConnected(): boolean;
  destroy(): void;
  checkPendingRequests(): void;
  scheduleCheckPendingRequests(): void;
  scheduleRequestTimeoutCheck(): void;
}

/** The release whose timers the fix replaces; any other is left as it is. */
export const fixedKafkajsVersion = '2.2.4';
/** A throttled connection looks at its waiting requests again after this, as in kafkajs. */
const throttledRecheckMs = 10;
/** How often a connection looks for requests past their timeout (kafkajs: every 100 ms). */
const requestTimeoutCheckMs = 1000;

let applied = false;

/**
 * Lets idle kafkajs connections sleep. In kafkajs 2.2.4, its last release, every connection that
 * has answered once re-arms its pending-request timer every millisecond, requests waiting or not
 * (tulios/kafkajs#1556; the fix proposed upstream, #1667, is this one), and checks its requests'
 * timeouts every 100 ms: four idle consumers kept 5 % of a core busy. Here the pending-request
 * timer runs only while requests wait, and timeouts are checked every second (a request's timeout
 * is 10 s or more); the same four consumers then take 0.3 %. Idempotent; returns whether it applies.
 */
export function quietKafkaIdleTimers(): boolean {
  if (applied) return true;
  const { version } = require('kafkajs/package.json') as { version: string };
  if (version !== fixedKafkajsVersion) return false;
  const queue = (require('kafkajs/src/network/requestQueue') as { prototype: RequestQueue }).prototype;
  queue.scheduleCheckPendingRequests = function (this: RequestQueue): void {
    if (this.throttleCheckTimeoutId || this.pending.length === 0) return;
    const untilUnthrottled = this.throttledUntil - Date.now();
    this.throttleCheckTimeoutId = setTimeout(
      () => {
        this.throttleCheckTimeoutId = null;
        this.checkPendingRequests();
      },
      untilUnthrottled > 0 ? untilUnthrottled : throttledRecheckMs,
    );
  };
  queue.scheduleRequestTimeoutCheck = function (this: RequestQueue): void {
    if (!this.enforceRequestTimeout) return;
    this.destroy();
    this.requestTimeoutIntervalId = setInterval(
      () => {
        const now = Date.now();
        this.inflight.forEach((request) => {
          if (now - request.sentAt > request.requestTimeout) request.timeoutRequest();
        });
        if (!this.isConnected()) this.destroy();
      },
      Math.min(this.requestTimeout, requestTimeoutCheckMs),
    );
  };
  applied = true;
  return true;
}
