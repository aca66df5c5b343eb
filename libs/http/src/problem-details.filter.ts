import { type ArgumentsHost, Catch, type ExceptionFilter, Logger } from '@nestjs/common';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { sendProblem } from './problem-response';

/** Every exception a Nest app lets out becomes problem+json (`sendProblem`). */
@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  private readonly logger = new Logger('ProblemDetails');

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    sendProblem(
      http.getRequest<IncomingMessage>(),
      http.getResponse<ServerResponse>(),
      exception,
      this.logger,
    );
  }
}
