import { HttpException } from '@nestjs/common';

/** RFC 9457 problem details, as every error of the platform is written. */
export interface ProblemDetails {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance: string;
  traceId: string;
  [extension: string]: unknown;
}

export interface ProblemInit {
  status: number;
  /** A stable, documented identifier of the problem kind, e.g. `validation-failed`. */
  type?: string;
  title?: string;
  detail: string;
  extensions?: Record<string, unknown>;
  /** Response headers that belong to the problem, e.g. `WWW-Authenticate` on 401, `Retry-After` on 429/503. */
  headers?: Record<string, string>;
}

/**
 * A failure the caller can act on, with the words the caller will read. Anything thrown that is
 * not a ProblemException never shows its message to a client.
 */
export class ProblemException extends HttpException {
  constructor(readonly problem: ProblemInit) {
    super(problem.detail, problem.status);
  }
}
