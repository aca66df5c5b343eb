import CircuitBreaker from 'opossum';
import { Pool, type Dispatcher } from 'undici';

export interface UpstreamPolicy {
  /** Until the response headers arrive; the request is aborted then. */
  timeoutMs: number;
  resetMs: number;
  errorThresholdPercent: number;
  volumeThreshold: number;
  windowMs: number;
}

export type CircuitState = 'closed' | 'half-open' | 'open';

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

/** A 5xx is passed through to the client, but travels through the breaker as a failure. */
class ServerErrorAnswer extends Error {
  constructor(readonly response: Dispatcher.ResponseData) {
    super(`answered ${response.statusCode}`);
  }
}

/** Errors of the connection itself: nothing (or nothing sane) is listening. */
const connectionErrorCodes = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EPIPE',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_CLOSED',
]);

function codeOf(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string') return code;
  return codeOf((error as { cause?: unknown }).cause);
}

/**
 * One upstream service: a keep-alive pool and a circuit breaker around every call to it.
 *
 * The breaker lives here, in the gateway, for now: the gateway is its only user so far. A later
 * issue moves timeout and breaker into libs/resilience as policies, with the payment service's
 * breaker as their second user; this class then composes those policies instead.
 *
 * The timeout is ours, not opossum's: opossum's only rejects the promise (its optional
 * AbortController is one per breaker, so one timeout would abort every call in flight), while
 * this one aborts the request itself, per call, and stops once the headers have arrived, so a
 * long body still streams.
 */
export class Upstream {
  private readonly pool: Pool;
  private readonly breaker: CircuitBreaker<[UpstreamRequest], Dispatcher.ResponseData>;
  private openedAt = 0;

  constructor(
    readonly name: string,
    baseUrl: string,
    private readonly policy: UpstreamPolicy,
  ) {
    this.pool = new Pool(baseUrl, { connect: { timeout: policy.timeoutMs }, keepAliveTimeout: 4000 });
    this.breaker = new CircuitBreaker((request: UpstreamRequest) => this.call(request), {
      name,
      timeout: false,
      resetTimeout: policy.resetMs,
      errorThresholdPercentage: policy.errorThresholdPercent,
      volumeThreshold: policy.volumeThreshold,
      rollingCountTimeout: policy.windowMs,
      rollingCountBuckets: policy.windowMs % 10 === 0 ? 10 : 1,
      // A client that hung up says nothing about the upstream's health.
      errorFilter: (error: unknown) => error instanceof CallerWentAway,
    });
    this.breaker.on('open', () => (this.openedAt = Date.now()));
  }

  get state(): CircuitState {
    return this.breaker.opened ? 'open' : this.breaker.halfOpen ? 'half-open' : 'closed';
  }

  /** Calls `listener` on every change of the circuit's state. */
  onStateChange(listener: (state: CircuitState) => void): void {
    this.breaker.on('open', () => listener('open'));
    this.breaker.on('halfOpen', () => listener('half-open'));
    this.breaker.on('close', () => listener('closed'));
  }

  /** The upstream's answer, 5xx included; throws UpstreamUnavailable, UpstreamTimedOut or UpstreamFailed. */
  async send(request: UpstreamRequest): Promise<Dispatcher.ResponseData> {
    try {
      return await this.breaker.fire(request);
    } catch (error) {
      if (error instanceof ServerErrorAnswer) return error.response;
      throw this.translate(error);
    }
  }

  async close(): Promise<void> {
    this.breaker.shutdown();
    await this.pool.close();
  }

  private async call(request: UpstreamRequest): Promise<Dispatcher.ResponseData> {
    const timeout = new AbortController();
    const timer = setTimeout(() => timeout.abort(new UpstreamTimedOut(this.name)), this.policy.timeoutMs);
    try {
      const response = await this.pool.request({
        method: request.method,
        path: request.path,
        headers: request.headers,
        body: request.body ?? null,
        signal: AbortSignal.any([timeout.signal, request.signal]),
      });
      if (response.statusCode >= 500) throw new ServerErrorAnswer(response);
      return response;
    } catch (error) {
      if (timeout.signal.aborted) throw timeout.signal.reason;
      if (request.signal.aborted) throw new CallerWentAway();
      throw error;
    } finally {
      clearTimeout(timer);
    }
  }

  private translate(error: unknown): Error {
    if (error instanceof UpstreamTimedOut || error instanceof CallerWentAway) return error;
    const code = codeOf(error);
    if (code === 'EOPENBREAKER') {
      const remainingMs = this.openedAt + this.policy.resetMs - Date.now();
      return new UpstreamUnavailable(this.name, Math.max(1, Math.ceil(remainingMs / 1000)));
    }
    if (code && connectionErrorCodes.has(code))
      return new UpstreamUnavailable(this.name, Math.max(1, Math.ceil(this.policy.resetMs / 1000)));
    return new UpstreamFailed(this.name, error);
  }
}
