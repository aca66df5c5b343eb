import { Inject, Injectable, Logger, type NestMiddleware } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import type { Readable } from 'node:stream';
import type { Dispatcher } from 'undici';
import { AccessTokenVerifier, authenticateBearer, rolesRefused } from '@platform/auth';
import { ProblemException, readJsonBody } from '@platform/http';
import { requestIdOf } from '@platform/observability';
import { InFlightLimit } from '../load-shedding/in-flight-limit';
import { RateLimitGate } from '../rate-limit/rate-limit.gate';
import { requestHeadersForUpstream, responseHeadersFromUpstream } from './forwarded-headers';
import { allowedMethodsOf, methodNotAllowed, resolvePath, type PathResolution } from './request-path';
import { routeTable } from './route-table';
import { CallerWentAway, UpstreamFailed, UpstreamTimedOut, UpstreamUnavailable } from './upstream';
import { Upstreams } from './upstreams';

/**
 * Forwards every operation of the route table to its upstream: the in-flight limit first (load
 * shedding), the rate limit (and the role, for a route that names one), then the call through
 * that upstream's breaker, then the answer streamed back. A method the path does not
 * answer is a 405 with `Allow`. Anything else goes on to Nest (the gateway's own operations, the
 * API document and the storefront, or a 404).
 */
@Injectable()
export class ProxyMiddleware implements NestMiddleware {
  private readonly logger = new Logger('Proxy');

  constructor(
    @Inject(Upstreams) private readonly upstreams: Upstreams,
    @Inject(RateLimitGate) private readonly rateLimit: RateLimitGate,
    @Inject(AccessTokenVerifier) private readonly verifier: AccessTokenVerifier,
    @Inject(InFlightLimit) private readonly inFlight: InFlightLimit,
  ) {}

  async use(request: Request, response: Response, next: NextFunction): Promise<void> {
    const resolution = resolvePath(request.originalUrl, routeTable);
    if (resolution.kind === 'unsafe') {
      throw new ProblemException({
        status: 400,
        type: 'invalid-path',
        detail: 'The path must not contain dot segments, empty segments or backslashes.',
      });
    }
    if (resolution.kind === 'unrouted') return next();
    if (!allowedMethodsOf(resolution.methods).includes(request.method))
      throw methodNotAllowed(request.method, resolution.methods);
    if (resolution.kind === 'own') return next();
    // Labels RED metrics by the table's pattern rather than 'unmatched' (no Nest route matched).
    (request as { route?: unknown }).route = { path: resolution.pattern };

    this.inFlight.admit();
    try {
      await this.forward(request, response, resolution);
    } finally {
      this.inFlight.release();
    }
  }

  private async forward(
    request: Request,
    response: Response,
    resolution: Extract<PathResolution, { kind: 'routed' }>,
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
          protocol: request.protocol,
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
    response.status(answer.statusCode);
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
function streamBack(body: Readable, response: Response): Promise<void> {
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
async function bodyOf(request: Request, response: Response): Promise<string | undefined> {
  const length = request.headers['content-length'];
  const hasBody =
    request.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
  if (!hasBody) return undefined;
  if (request.is('application/json')) await readJsonBody(request, response);
  if (request.is('application/json') && request.readableEnded) {
    const json = JSON.stringify(request.body);
    // The parser may have inflated a compressed body: what goes upstream is plain and freshly measured.
    delete request.headers['content-encoding'];
    request.headers['content-length'] = String(Buffer.byteLength(json));
    return json;
  }
  throw new ProblemException({
    status: 415,
    type: 'unsupported-media-type',
    detail: 'The request body must be application/json.',
  });
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
