import type { NextFunction, Request, Response } from 'express';
import { currentTraceId, requestIdOf } from '@platform/observability';

/**
 * Stamps every response with `X-Request-Id` (the client's, echoed, or a new one) and `X-Trace-Id`
 * (the request's OpenTelemetry trace id, to paste into Jaeger), before any handler can fail.
 */
export function requestContextMiddleware(request: Request, response: Response, next: NextFunction): void {
  const traceId = currentTraceId();
  response.locals['traceId'] = traceId;
  response.setHeader('X-Request-Id', requestIdOf(request));
  response.setHeader('X-Trace-Id', traceId);
  next();
}

export function traceIdOf(response: Response): string {
  const traceId = response.locals['traceId'];
  return typeof traceId === 'string' ? traceId : currentTraceId();
}
