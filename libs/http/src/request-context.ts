import type { IncomingMessage, ServerResponse } from 'node:http';
import type { NextFunction, Request, Response } from 'express';
import { currentTraceId, requestIdOf } from '@platform/observability';

/**
 * Stamps a response with `X-Request-Id` (the client's, echoed, or a new one) and `X-Trace-Id` (the
 * request's OpenTelemetry trace id, to paste into Jaeger), before any handler can fail.
 */
export function stampRequestContext(request: IncomingMessage, response: ServerResponse): void {
  response.setHeader('X-Request-Id', requestIdOf(request));
  response.setHeader('X-Trace-Id', currentTraceId());
}

/** `stampRequestContext` as Express middleware, first in every app. */
export function requestContextMiddleware(request: Request, response: Response, next: NextFunction): void {
  stampRequestContext(request, response);
  next();
}

/** The trace id the response was stamped with; the current one where it was not. */
export function traceIdOf(response: ServerResponse): string {
  const traceId = response.getHeader('X-Trace-Id');
  return typeof traceId === 'string' ? traceId : currentTraceId();
}
