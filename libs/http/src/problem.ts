import { HttpException } from '@nestjs/common';
import { z } from 'zod';

/** RFC 9457 problem details, as every error of the platform is written (`problemDetailsSchema` documents it). */
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

/** The `type` of a problem: `/problems/<name>` for the platform's own, `about:blank` for plain HTTP errors. */
export function problemTypeOf(name: string | undefined): string {
  return name === undefined || name === 'about:blank' ? 'about:blank' : `/problems/${name}`;
}

/**
 * `ProblemDetails` as the OpenAPI documents describe it (`#/components/schemas/ProblemDetails`):
 * the fields every problem has, `errors` on a `validation-failed`, and room for the extensions
 * some problems add (`skus`, `retryAfterSeconds`, ...).
 */
export const problemDetailsSchema = z
  .looseObject({
    type: z
      .string()
      .regex(/^(\/problems\/[a-z0-9-]+|about:blank)$/)
      .meta({ description: 'What kind of problem: stable, documented per operation and status.' }),
    title: z.string().meta({ description: 'The status text.' }),
    status: z.number().int().min(400).max(599),
    detail: z.string().meta({ description: 'What went wrong, for a person to read.' }),
    instance: z.string().meta({ description: 'The path of the request, without its query.' }),
    traceId: z
      .string()
      .regex(/^[0-9a-f]{32}$/)
      .meta({ description: 'The trace of the request (also its X-Trace-Id header).' }),
    errors: z
      .array(z.object({ field: z.string(), message: z.string() }))
      .optional()
      .meta({ description: 'On `validation-failed`: each offending field and why.' }),
  })
  .meta({
    description: 'RFC 9457 problem details: the body of every error.',
    example: {
      type: '/problems/validation-failed',
      title: 'Bad Request',
      status: 400,
      detail: 'The request body is not valid.',
      instance: '/api/orders',
      traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
      errors: [{ field: 'items', message: 'Too small: expected array to have >=1 items' }],
    },
  });
