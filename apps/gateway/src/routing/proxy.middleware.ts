import { Inject, Injectable, Logger, type NestMiddleware } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { pipeline } from 'node:stream/promises';
import type { Dispatcher } from 'undici';
import { AccessTokenVerifier, authenticateBearer, rolesRefused } from '@platform/auth';
import { ProblemException } from '@platform/http';
import { requestIdOf } from '@platform/observability';
import { RateLimitGate } from '../rate-limit/rate-limit.gate';
import { requestHeadersForUpstream, responseHeadersFromUpstream } from './forwarded-headers';
import { resolvePath } from './request-path';
import { routeTable } from './route-table';
import { CallerWentAway, UpstreamFailed, UpstreamTimedOut, UpstreamUnavailable } from './upstream';
import { Upstreams } from './upstreams';

/**
 * Forwards every request of the route table to its upstream: rate limit first (and the role, for
 * a route that names one), then the call
 * through that upstream's breaker, then the answer streamed back. Anything else goes on to Nest
 * (the gateway's own /healthz, /readyz, /metrics, or a 404).
 */
@Injectable()
export class ProxyMiddleware implements NestMiddleware {
  private readonly logger = new Logger('Proxy');

  constructor(
    @Inject(Upstreams) private readonly upstreams: Upstreams,
    @Inject(RateLimitGate) private readonly rateLimit: RateLimitGate,
    @Inject(AccessTokenVerifier) private readonly verifier: AccessTokenVerifier,
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
    // Labels RED metrics by the table's pattern rather than 'unmatched' (no Nest route matched).
    (request as { route?: unknown }).route = { path: resolution.pattern };

    await this.rateLimit.admit(request, response);
    if (resolution.role) {
      const caller = await authenticateBearer(request.headers.authorization, this.verifier, this.logger);
      if (!caller.roles.includes(resolution.role)) throw rolesRefused();
    }

    const upstream = this.upstreams.get(resolution.upstream);
    const body = bodyOf(request);
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
      response.off('close', onClose);
      if (error instanceof CallerWentAway) return;
      if (error instanceof UpstreamFailed)
        this.logger.error({ err: error.cause, upstream: error.upstream }, 'upstream call failed');
      throw problemOf(error);
    }
    response.status(answer.statusCode);
    for (const [name, value] of Object.entries(responseHeadersFromUpstream(answer.headers)))
      response.setHeader(name, value);
    try {
      await pipeline(answer.body, response);
    } catch {
      // The client hung up or the upstream broke off mid-body: the status line is gone, so all
      // that is left is to close the connection (pipeline already destroyed both sides).
    } finally {
      response.off('close', onClose);
    }
  }
}

/**
 * The body to send upstream. JSON was already parsed (and bounded) by the gateway's body parser,
 * so it is re-serialised; the gateway's public API speaks only JSON, so other bodies stop here.
 */
function bodyOf(request: Request): string | undefined {
  const length = request.headers['content-length'];
  const hasBody =
    request.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
  if (!hasBody) return undefined;
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
