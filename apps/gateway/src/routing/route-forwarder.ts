import { Inject, Injectable, Logger } from '@nestjs/common';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { TLSSocket } from 'node:tls';
import type { Readable } from 'node:stream';
import type { Registry } from 'prom-client';
import type { Dispatcher } from 'undici';
import { AccessTokenVerifier, authenticateBearer, rolesRefused } from '@platform/auth';
import {
  ProblemException,
  readJsonBody,
  type RequestWithBody,
  sendProblem,
  setSecurityHeaders,
  stampRequestContext,
} from '@platform/http';
import {
  METRICS_REGISTRY,
  type HttpServerMetrics,
  httpServerMetrics,
  logWhenAnswered,
  requestIdOf,
} from '@platform/observability';
import { AdminAuditRecorder } from '../admin-audit/admin-audit.recorder';
import { InFlightLimit } from '../load-shedding/in-flight-limit';
import { RateLimitGate } from '../rate-limit/rate-limit.gate';
import { requestHeadersForUpstream, responseHeadersFromUpstream } from './forwarded-headers';
import { allowedMethodsOf, methodNotAllowed, resolvePath, type PathResolution } from './request-path';
import { routeTable } from './route-table';
import { CallerWentAway, UpstreamFailed, UpstreamTimedOut, UpstreamUnavailable } from './upstream';
import { Upstreams } from './upstreams';

type Routed = Extract<PathResolution, { kind: 'routed' }>;

/**
 * Forwards every operation of the route table to its upstream, on Node's request and response,
 * ahead of Express: the in-flight limit first (load shedding), the rate limit (and the role, for
 * a route that names one), then the call through that upstream's breaker, then the answer
 * streamed back. A method the path does not answer is a 405 with `Allow`; an unsafe path a 400.
 * Everything else (the gateway's own operations, the API document, the storefront, a 404) goes
 * on to the Nest app. What Express's middleware gives every response, these get too, from the
 * same functions: request and trace ids, security headers, RED metrics, the request line in the
 * log, problem+json. Going around Express and Nest cut the gateway's CPU per proxied request by a
 * quarter (docs/benchmark.md).
 */
@Injectable()
export class RouteForwarder {
  private readonly logger = new Logger('Proxy');
  private readonly metrics: HttpServerMetrics;

  constructor(
    @Inject(Upstreams) private readonly upstreams: Upstreams,
    @Inject(RateLimitGate) private readonly rateLimit: RateLimitGate,
    @Inject(AccessTokenVerifier) private readonly verifier: AccessTokenVerifier,
    @Inject(InFlightLimit) private readonly inFlight: InFlightLimit,
    @Inject(AdminAuditRecorder) private readonly adminAudit: AdminAuditRecorder,
    @Inject(METRICS_REGISTRY) registry: Registry,
  ) {
    this.metrics = httpServerMetrics(registry);
  }

  /**
   * Takes the request and answers it when it is the route table's to answer (true); leaves it
   * untouched for the Nest app otherwise (false).
   */
  take(request: IncomingMessage, response: ServerResponse): boolean {
    const resolution = resolvePath(request.url ?? '/', routeTable);
    const allowed =
      'methods' in resolution && allowedMethodsOf(resolution.methods).includes(request.method ?? '');
    if (resolution.kind === 'unrouted' || (resolution.kind === 'own' && allowed)) return false;
    stampRequestContext(request, response);
    setSecurityHeaders(request, response);
    logWhenAnswered(request, response);
    // Labelled by the table's pattern once the method is one the path answers.
    const route = resolution.kind === 'routed' && allowed ? resolution.pattern : 'unmatched';
    this.metrics.track(request, response, () => route);
    this.answer(request, response, resolution, allowed).catch((error: unknown) =>
      sendProblem(request, response, error, this.logger),
    );
    return true;
  }

  private async answer(
    request: IncomingMessage,
    response: ServerResponse,
    resolution: Exclude<PathResolution, { kind: 'unrouted' }>,
    allowed: boolean,
  ): Promise<void> {
    if (resolution.kind === 'unsafe') {
      throw new ProblemException({
        status: 400,
        type: 'invalid-path',
        detail: 'The path must not contain dot segments, empty segments or backslashes.',
      });
    }
    // Attempts with a method the path does not answer are admin actions too (refused ones).
    if (resolution.kind === 'routed') this.adminAudit.watch(request, response, resolution);
    if (!allowed) throw methodNotAllowed(request.method ?? '', resolution.methods);
    if (resolution.kind !== 'routed') return;
    this.inFlight.admit();
    try {
      await this.forward(request, response, resolution);
    } finally {
      this.inFlight.release();
    }
  }

  private async forward(
    request: RequestWithBody,
    response: ServerResponse,
    resolution: Routed,
  ): Promise<void> {
    await this.rateLimit.admit(request, response);
    if (resolution.role) {
      const caller = await authenticateBearer(request.headers.authorization, this.verifier, this.logger);
      if (!caller.roles.includes(resolution.role)) throw rolesRefused();
    }

    const upstream = this.upstreams.get(resolution.upstream);
    const body = await bodyOf(request, response);
    const callerGone = new AbortController();
    const onClose = () => {
      if (!response.writableFinished) callerGone.abort();
    };
    response.once('close', onClose);
    let answer: Dispatcher.ResponseData;
    try {
      answer = await upstream.send({
        method: request.method as Dispatcher.HttpMethod,
        path: resolution.upstreamTarget,
        headers: requestHeadersForUpstream(request.headers, {
          clientAddress: request.socket.remoteAddress ?? 'unknown',
          protocol: (request.socket as TLSSocket).encrypted ? 'https' : 'http',
          requestId: requestIdOf(request),
        }),
        body,
        signal: callerGone.signal,
      });
    } catch (error) {
      if (error instanceof CallerWentAway) return;
      if (error instanceof UpstreamFailed)
        this.logger.error({ err: error.cause, upstream: error.upstream }, 'upstream call failed');
      throw problemOf(error);
    } finally {
      // From here on streamBack ends the upstream's body if the caller goes away.
      response.off('close', onClose);
    }
    response.statusCode = answer.statusCode;
    for (const [name, value] of Object.entries(responseHeadersFromUpstream(answer.headers)))
      response.setHeader(name, value);
    await streamBack(answer.body, response);
  }
}

/**
 * Streams the upstream's body to the caller; resolves once the response is done or the caller has
 * gone. A client that hangs up ends the upstream's body; an upstream that breaks off mid-body
 * closes the connection (the status line is gone: nothing else can tell the client). Plain `pipe`
 * rather than `stream.pipeline`, which creates and aborts an AbortController (with a DOMException
 * and its stack) on every request: 3% of the gateway's CPU per request when profiled.
 */
function streamBack(body: Readable, response: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    response.once('close', () => {
      if (!body.destroyed) body.destroy();
      resolve();
    });
    body.once('error', () => response.destroy());
    body.pipe(response);
  });
}

/**
 * The body to send upstream, read only now that the request is admitted (so a malformed or
 * oversized body still counts against the caller's rate limit), bounded in size and depth, and
 * re-serialised; the gateway's public API speaks only JSON, so other bodies stop here.
 */
async function bodyOf(request: RequestWithBody, response: ServerResponse): Promise<string | undefined> {
  const length = request.headers['content-length'];
  const hasBody =
    request.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
  if (!hasBody) return undefined;
  const json = announcesJson(request);
  if (json) await readJsonBody(request, response);
  if (json && request.readableEnded) {
    const text = JSON.stringify(request.body);
    // The parser may have inflated a compressed body: what goes upstream is plain and freshly measured.
    delete request.headers['content-encoding'];
    request.headers['content-length'] = String(Buffer.byteLength(text));
    return text;
  }
  throw new ProblemException({
    status: 415,
    type: 'unsupported-media-type',
    detail: 'The request body must be application/json.',
  });
}

/** Whether the body is announced as JSON (`Content-Type: application/json`, parameters aside). */
function announcesJson(request: IncomingMessage): boolean {
  const mediaType = request.headers['content-type']?.split(';')[0]?.trim().toLowerCase();
  return mediaType === 'application/json';
}

function problemOf(error: unknown): unknown {
  if (error instanceof UpstreamUnavailable) {
    return new ProblemException({
      status: 503,
      type: 'upstream-unavailable',
      detail: `The ${error.upstream} service is unavailable: retry later.`,
      headers: { 'Retry-After': String(error.retryAfterSeconds) },
    });
  }
  if (error instanceof UpstreamTimedOut) {
    return new ProblemException({
      status: 504,
      type: 'upstream-timeout',
      detail: `The ${error.upstream} service did not answer in time.`,
    });
  }
  if (error instanceof UpstreamFailed) {
    return new ProblemException({
      status: 502,
      type: 'upstream-failed',
      detail: `The ${error.upstream} service answered badly.`,
    });
  }
  return error;
}
