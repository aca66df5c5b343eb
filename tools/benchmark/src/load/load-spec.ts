/**
 * What the load process is asked to do, and what it answers: plain data, since it crosses a
 * process boundary (the load generator must not share an event loop with the services).
 */
export interface LoadSpec {
  /** Base URL of the server, e.g. http://127.0.0.1:8080. */
  baseUrl: string;
  method: 'GET' | 'POST';
  path: string;
  headers: Record<string, string>;
  body?: string;
  durationSeconds: number;
  connections: number;
  /** Requests per second to hold; absent, every connection sends as fast as it is answered (saturation). */
  ratePerSecond?: number;
  /** A header set to a new random UUID on every request (e.g. Idempotency-Key). */
  freshHeader?: string;
  /** A header that takes these values in turn, one per request (e.g. replayed Idempotency-Keys). */
  cycleHeader?: { name: string; values: string[] };
  /** Bodies sent in turn, one per request, in place of `body` (e.g. orders of different skus). */
  cycleBodies?: string[];
  /** A top-level JSON field of 2xx bodies to hand back (e.g. orderId). */
  collectField?: string;
  /**
   * The status that counts as the answer being measured, in place of any 2xx: its answers are the
   * `ok` ones and have their latencies kept (e.g. 503, to time refusals).
   */
  measuredStatus?: number;
}

export interface LoadResult {
  /** 2xx answers (the `measuredStatus` ones, where the spec names it). */
  ok: number;
  non2xx: number;
  /** Connection errors and timeouts. */
  errors: number;
  statusCounts: Record<string, number>;
  /** 2xx answers per second of the measurement window. */
  okPerSecond: number;
  /** The rate actually asked of autocannon (per-connection rates are whole numbers), if one was held. */
  targetRate?: number;
  /** The interval at which each connection meant to send, for the coordinated-omission correction. */
  expectedIntervalMs?: number;
  /** Response times of the `ok` answers, in ms, as measured (uncorrected). */
  latenciesMs: number[];
  collected: string[];
  durationSeconds: number;
}

/** Messages between the parent and the load process. */
export type ToLoadProcess = { type: 'run'; spec: LoadSpec };
export type FromLoadProcess =
  { type: 'ready' } | { type: 'result'; result: LoadResult } | { type: 'failed'; message: string };
