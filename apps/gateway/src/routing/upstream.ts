import type { Dispatcher } from 'undici';
import {
  type BalancedHttpClient,
  CircuitOpenError,
  type HttpInstance,
  type ResilienceLogger,
  TimeoutError,
  createBalancedHttpClient,
  isConnectionError,
} from '@platform/resilience';

export interface UpstreamPolicy {
  /** Until the response headers arrive; the request is aborted then. */
  timeoutMs: number;
  resetMs: number;
  errorThresholdPercent: number;
  volumeThreshold: number;
  windowMs: number;
}

export interface UpstreamRequest {
  method: Dispatcher.HttpMethod;
  /** Path and query, forwarded as received. */
  path: string;
  headers: Record<string, string | string[]>;
  body?: string;
  /** Aborted when the client goes away, so a call nobody waits for stops too. */
  signal: AbortSignal;
}

/** The upstream cannot be reached, or its circuit is open: 503, retry after the given seconds. */
export class UpstreamUnavailable extends Error {
  constructor(
    readonly upstream: string,
    readonly retryAfterSeconds: number,
  ) {
    super(`upstream ${upstream} unavailable`);
  }
}

/** The upstream did not send its response headers in time: 504. */
export class UpstreamTimedOut extends Error {
  constructor(readonly upstream: string) {
    super(`upstream ${upstream} timed out`);
  }
}

/** The upstream answered something that is not HTTP, or broke off: 502. */
export class UpstreamFailed extends Error {
  constructor(
    readonly upstream: string,
    override readonly cause: unknown,
  ) {
    super(`upstream ${upstream} failed`);
  }
}

/** The client hung up before the upstream answered: nobody to answer to. */
export class CallerWentAway extends Error {}

const toSeconds = (ms: number) => Math.max(1, Math.ceil(ms / 1000));

/**
 * One upstream service over its instances (`createBalancedHttpClient`: a keep-alive pool, a
 * circuit breaker and a per-call timeout until the headers arrive, per instance, called in turn;
 * a call goes on to the next instance only when that is safe), whose typed failures become the
 * gateway's 502/503/504.
 */
export class Upstream {
  private readonly client: BalancedHttpClient;

  constructor(
    readonly name: string,
    baseUrls: readonly string[],
    private readonly policy: UpstreamPolicy,
    logger: ResilienceLogger,
  ) {
    this.client = createBalancedHttpClient({
      baseUrls,
      name,
      timeoutMs: policy.timeoutMs,
      breaker: {
        resetMs: policy.resetMs,
        errorThresholdPercent: policy.errorThresholdPercent,
        volumeThreshold: policy.volumeThreshold,
        windowMs: policy.windowMs,
      },
      logger,
    });
  }

  get instances(): readonly HttpInstance[] {
    return this.client.instances;
  }

  /** The upstream's answer, 5xx included; throws UpstreamUnavailable, UpstreamTimedOut, UpstreamFailed or CallerWentAway. */
  async send(request: UpstreamRequest): Promise<Dispatcher.ResponseData> {
    try {
      return await this.client.request(request);
    } catch (error) {
      throw this.translate(error, request.signal);
    }
  }

  close(): Promise<void> {
    return this.client.close();
  }

  private translate(error: unknown, callerSignal: AbortSignal): Error {
    if (error instanceof TimeoutError) return new UpstreamTimedOut(this.name);
    if (callerSignal.aborted) return new CallerWentAway();
    if (error instanceof CircuitOpenError)
      return new UpstreamUnavailable(this.name, toSeconds(error.retryAfterMs));
    if (isConnectionError(error)) return new UpstreamUnavailable(this.name, toSeconds(this.policy.resetMs));
    return new UpstreamFailed(this.name, error);
  }
}
