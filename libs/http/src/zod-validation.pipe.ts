import { type PipeTransform } from '@nestjs/common';
import { z } from 'zod';
import { ProblemException } from './problem';

/**
 * Validates a request body (or query) with a zod schema: the schema is the single definition of
 * the shape, its TypeScript type and (through `openApiSchemaOf`) its OpenAPI schema. A failure is
 * a 400 problem listing each offending field; use `z.strictObject` so unknown fields fail too.
 */
export class ZodValidationPipe<Schema extends z.ZodType> implements PipeTransform<unknown, z.output<Schema>> {
  constructor(private readonly schema: Schema) {}

  transform(value: unknown): z.output<Schema> {
    const result = this.schema.safeParse(value ?? {});
    if (result.success) return result.data;
    throw new ProblemException({
      status: 400,
      type: 'validation-failed',
      detail: 'The request body is not valid.',
      extensions: { errors: result.error.issues.flatMap(fieldErrorsOf) },
    });
  }
}

/** The OpenAPI 3.0 schema of a zod schema, for `@ApiBody({ schema })` and `@ApiResponse({ schema })`. */
export function openApiSchemaOf(schema: z.ZodType): Record<string, unknown> {
  return z.toJSONSchema(schema, { target: 'openapi-3.0', io: 'input' }) as Record<string, unknown>;
}

/** One entry per offending field; an unknown-keys issue names each unknown field. */
function fieldErrorsOf(issue: z.core.$ZodIssue): { field: string; message: string }[] {
  const at = issue.path.map(String);
  if (issue.code === 'unrecognized_keys')
    return issue.keys.map((key) => ({ field: [...at, key].join('.'), message: 'is not a known field' }));
  return [{ field: at.join('.') || '(body)', message: issue.message }];
}
