import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { Request, Response } from 'express';
import { ProblemException, type ProblemDetails, problemTypeOf } from './problem';
import { traceIdOf } from './request-context';
import { genericDetailOf, titleOf } from './status-texts';

/**
 * The one place where errors become HTTP: every exception turns into problem+json. Only
 * ProblemException carries its own words to the client; framework errors get a generic detail and
 * unknown errors a 500 whose cause is logged, never shown (no stack, no driver text, no host name).
 */
@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  private readonly logger = new Logger('ProblemDetails');

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<Request>();
    const response = http.getResponse<Response>();
    const problem = this.toProblem(exception, request, response);
    // A deliberate 503/504 (an open circuit, a timeout) is expected under failure: one warn line,
    // no stack. Anything else at 5xx is a bug worth its stack.
    if (exception instanceof ProblemException && problem.status >= 500)
      this.logger.warn({ status: problem.status, detail: problem.detail }, 'request refused');
    else if (problem.status >= 500)
      this.logger.error({ err: exception, status: problem.status }, 'request failed');
    if (response.headersSent) return;
    if (exception instanceof ProblemException) response.set(exception.problem.headers ?? {});
    response.status(problem.status).type('application/problem+json').send(JSON.stringify(problem));
  }

  private toProblem(exception: unknown, request: Request, response: Response): ProblemDetails {
    const base = { instance: request.originalUrl.split('?')[0] ?? '/', traceId: traceIdOf(response) };
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
}
