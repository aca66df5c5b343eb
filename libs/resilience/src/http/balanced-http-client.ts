import type { Dispatcher } from 'undici';
import type { CircuitBreakerPolicy } from '../circuit-breaker';
import { CircuitOpenError } from '../errors';
import { isConnectionError } from './connection-errors';
import { answeredUnprocessed } from './not-processed';
import { isIdempotentRequest } from './idempotency';
import {
  createResilientHttpClient,
  type ResilientHttpClient,
  type ResilientHttpClientOptions,
  type ResilientRequest,
} from './resilient-http-client';

/** The base URLs of a `*_URL` setting: one, or several separated by commas. */
export function baseUrlsOf(setting: string): string[] {
  return setting
    .split(',')
    .map((url) => url.trim())
    .filter((url) => url !== '');
}

export interface BalancedHttpClientOptions extends Omit<ResilientHttpClientOptions, 'baseUrl'> {
  /** The dependency's instances, e.g. `baseUrlsOf(config.INVENTORY_URL)`; at least one. */
  baseUrls: readonly string[];
}

/** One instance of the dependency, as metrics see it. */
export interface HttpInstance {
  /** `host:port` of its base URL. */
  target: string;
  breaker: CircuitBreakerPolicy;
}

export interface BalancedHttpClient {
  readonly instances: readonly HttpInstance[];
  /** As ResilientHttpClient.request, over the instances: see createBalancedHttpClient. */
  request(request: ResilientRequest): Promise<Dispatcher.ResponseData>;
  close(): Promise<void>;
}

/** Refused before anything was sent (connection refused, circuit open): safe to send elsewhere, whatever the method. */
function refusedBeforeSending(error: unknown): boolean {
  if (error instanceof CircuitOpenError) return true;
  for (let cause: unknown = error; typeof cause === 'object' && cause !== null;) {
    if ((cause as { code?: unknown }).code === 'ECONNREFUSED') return true;
    cause = (cause as { cause?: unknown }).cause;
  }
  return false;
}

/**
 * A resilient client (pool, breaker, retries, timeout) per instance of a dependency, called in
 * turn. A call refused before it was sent, or answered 503 with `notProcessedHeader`, goes on to
 * the next instance whatever its method; a call
 * that may have reached an instance (a reset, a connection broken off) goes on only when it is
 * safe to send twice (GET, PUT, DELETE…, or an Idempotency-Key). A timeout, an answer (4xx or 5xx)
 * or the caller's abort ends the call. So an instance that stops or restarts costs the callers
 * nothing while another answers. With one base URL it is that instance's client, nothing more.
 */
export function createBalancedHttpClient(options: BalancedHttpClientOptions): BalancedHttpClient {
  const { baseUrls, ...shared } = options;
  if (baseUrls.length === 0) throw new Error(`${options.name}: no base URL`);
  const clients: { target: string; client: ResilientHttpClient }[] = baseUrls.map((baseUrl) => {
    const target = new URL(baseUrl).host;
    return {
      target,
      client: createResilientHttpClient({
        ...shared,
        baseUrl,
        // The breaker's name in metrics and logs: the dependency's, and which instance when there are several.
        name: baseUrls.length === 1 ? options.name : `${options.name}@${target}`,
      }),
    };
  });
  let next = 0;

  return {
    instances: clients.map(({ target, client }) => ({ target, breaker: client.breaker })),
    async request(request) {
      const first = next;
      next = (next + 1) % clients.length;
      const repeatable = isIdempotentRequest(request);
      let failure: unknown;
      for (let tried = 0; tried < clients.length; tried += 1) {
        const { client } = clients[(first + tried) % clients.length] as (typeof clients)[number];
        try {
          const response = await client.request(request);
          if (tried === clients.length - 1 || !answeredUnprocessed(response)) return response;
          await response.body.dump();
        } catch (error) {
          failure = error;
          if (request.signal?.aborted) break;
          if (!refusedBeforeSending(error) && !(repeatable && isConnectionError(error))) break;
        }
      }
      throw failure;
    },
    async close() {
      await Promise.allSettled(clients.map(({ client }) => client.close()));
    },
  };
}
