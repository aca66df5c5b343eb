import type { IncomingMessage, ServerResponse } from 'node:http';
import { HttpException, type LoggerService } from '@nestjs/common';
import { ProblemException, type ProblemDetails, problemTypeOf } from './problem';
import { traceIdOf } from './request-context';
import { genericDetailOf, titleOf } from './status-texts';

/**
 * The one place where errors become HTTP: every exception turns into problem+json, written to the
 * response (the exception filter of every app, and the gateway's proxy, which answers without
 * Express). Only ProblemException carries its own words to the client; framework errors get a
 * generic detail and unknown errors a 500 whose cause is logged, never shown (no stack, no driver
 * text, no host name).
 */
export function sendProblem(
  request: IncomingMessage,
  response: ServerResponse,
  exception: unknown,
  logger: Pick<LoggerService, 'warn' | 'error'>,
): void {
  const problem = problemDetailsOf(exception, request, response);
  // A deliberate 503/504 (an open circuit, a timeout) is expected under failure: one warn line,
  // no stack. Anything else at 5xx is a bug worth its stack.
  if (exception instanceof ProblemException && problem.status >= 500)
    logger.warn({ status: problem.status, detail: problem.detail }, 'request refused');
  else if (problem.status >= 500) logger.error({ err: exception, status: problem.status }, 'request failed');
  if (response.headersSent) return;
  if (exception instanceof ProblemException)
    for (const [name, value] of Object.entries(exception.problem.headers ?? {}))
      response.setHeader(name, value);
  const body = JSON.stringify(problem);
  response.statusCode = problem.status;
  response.setHeader('Content-Type', 'application/problem+json; charset=utf-8');
  response.setHeader('Content-Length', Buffer.byteLength(body));
  response.end(request.method === 'HEAD' ? undefined : body);
}

function problemDetailsOf(
  exception: unknown,
  request: IncomingMessage,
  response: ServerResponse,
): ProblemDetails {
  // Express rewrites `url` inside mounted routers; `originalUrl` is the request's own.
  const target = (request as { originalUrl?: string }).originalUrl ?? request.url ?? '/';
  const base = { instance: target.split('?')[0] ?? '/', traceId: traceIdOf(response) };
  if (exception instanceof ProblemException) {
    const { status, type, title, detail, extensions } = exception.problem;
    return {
      type: problemTypeOf(type),
      title: title ?? titleOf(status),
      status,
      detail,
      ...base,
      ...extensions,
    };
  }
  const status = exception instanceof HttpException ? exception.getStatus() : 500;
  return { type: 'about:blank', title: titleOf(status), status, detail: genericDetailOf(status), ...base };
}
