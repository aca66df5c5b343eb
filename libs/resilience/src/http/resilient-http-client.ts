import type { Registry } from 'prom-client';
import { Pool, type Dispatcher } from 'undici';
import { type BulkheadOptions, bulkhead } from '../bulkhead';
import { type CircuitBreakerOptions, type CircuitBreakerPolicy, circuitBreaker } from '../circuit-breaker';
import type { ResilienceLogger } from '../logger';
import { type Policy, compose } from '../policy';
import { type RetryOptions, retry } from '../retry';
import { timeout } from '../timeout';
import { isIdempotentRequest } from './idempotency';
import { answeredUnprocessed } from './not-processed';

export interface ResilientHttpClientOptions {
  baseUrl: string;
  /** Names the dependency in metrics, logs and errors. */
  name: string;
  /** Per attempt, until the response headers arrive; the body may stream for longer. */
  timeoutMs: number;
  /** Without it, nothing is retried. */
  retry?: Omit<RetryOptions, 'name' | 'registry' | 'logger'>;
  breaker?: Omit<CircuitBreakerOptions, 'name' | 'registry' | 'logger'>;
  /** Without it, concurrency is bounded only by the pool. */
  bulkhead?: Omit<BulkheadOptions, 'name' | 'registry' | 'logger'>;
  registry?: Registry;
  logger?: ResilienceLogger;
  pool?: Pool.Options;
}

export interface ResilientRequest {
  method: Dispatcher.HttpMethod;
  /** Path and query. */
  path: string;
  headers?: Record<string, string | string[]>;
  /** Kept in memory so that a retry can send it again. */
  body?: string | Buffer;
  /** The caller giving up: the request is aborted and never counts against the dependency. */
  signal?: AbortSignal;
  /** Overrides the default: GET, HEAD, OPTIONS, PUT, DELETE, or a request with an Idempotency-Key. */
  idempotent?: boolean;
}

export interface ResilientHttpClient {
  readonly breaker: CircuitBreakerPolicy;
  /**
   * The answer, 4xx and 5xx included (a 5xx counts as a failure for the breaker and the retries).
   * Throws TimeoutError, CircuitOpenError, BulkheadRejectedError, a connection error (see
   * isConnectionError), or the caller's abort reason.
   */
  request(request: ResilientRequest): Promise<Dispatcher.ResponseData>;
  close(): Promise<void>;
}

/** A 5xx travels through the policies as a failure, and is handed back as an answer at the end. */
class ServerErrorAnswer extends Error {
  constructor(readonly response: Dispatcher.ResponseData) {
    super(`answered ${response.statusCode}`);
  }
}

/** An undici pool behind bulkhead → circuit breaker → retry → timeout, outermost first. */
export function createResilientHttpClient(options: ResilientHttpClientOptions): ResilientHttpClient {
  const { name, registry, logger } = options;
  const shared = { name, ...(registry && { registry }), ...(logger && { logger }) };
  const pool = new Pool(options.baseUrl, {
    connect: { timeout: options.timeoutMs },
    keepAliveTimeout: 4000,
    ...options.pool,
  });
  const breaker = circuitBreaker({ ...options.breaker, ...shared });
  const policies: Policy[] = [
    ...(options.bulkhead ? [bulkhead({ ...options.bulkhead, ...shared })] : []),
    breaker,
    ...(options.retry ? [retry({ ...options.retry, ...shared })] : []),
    timeout({ name, ms: options.timeoutMs, ...(registry && { registry }) }),
  ];
  const policy = compose(...policies);

  return {
    breaker,
    async request(request) {
      // A retried 5xx is dropped; its body must still be drained so that the connection is reused.
      let discarded: ServerErrorAnswer | undefined;
      const attempt = async (signal: AbortSignal) => {
        await discarded?.response.body.dump();
        discarded = undefined;
        const response = await pool.request({
          method: request.method,
          path: request.path,
          headers: request.headers ?? {},
          body: request.body ?? null,
          signal,
        });
        // A server that says it did not process the request (starting, shedding load) is not failing.
        if (response.statusCode >= 500 && !answeredUnprocessed(response))
          throw (discarded = new ServerErrorAnswer(response));
        return response;
      };
      try {
        return await policy.execute(attempt, {
          ...(request.signal && { signal: request.signal }),
          idempotent: isIdempotentRequest(request),
        });
      } catch (error) {
        if (error instanceof ServerErrorAnswer) return error.response;
        // undici rejects with its own error on abort: the caller's reason says why.
        if (request.signal?.aborted) throw request.signal.reason;
        throw error;
      }
    },
    async close() {
      breaker.shutdown();
      await pool.close();
    },
  };
}
