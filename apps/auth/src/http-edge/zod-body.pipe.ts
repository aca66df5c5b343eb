import type { PipeTransform } from '@nestjs/common';
import { ProblemException } from '@platform/http';
import type { z } from 'zod';

export interface FieldError {
  field: string;
  message: string;
}

/** Validates a request body with a strict zod schema: any violation, unknown fields included, answers 400 listing the fields. */
export class ZodBodyPipe<Schema extends z.ZodType> implements PipeTransform<unknown, z.output<Schema>> {
  constructor(private readonly schema: Schema) {}

  transform(body: unknown): z.output<Schema> {
    const result = this.schema.safeParse(body);
    if (result.success) return result.data;
    throw new ProblemException({
      status: 400,
      type: 'validation-failed',
      title: 'Validation failed',
      detail: 'The request body is not valid: see errors.',
      extensions: { errors: fieldErrorsOf(result.error) },
    });
  }
}

function fieldErrorsOf(error: z.ZodError): FieldError[] {
  return error.issues.flatMap((issue) => {
    // The client's own values are never echoed back: only field names and the rule they broke.
    if (issue.code === 'unrecognized_keys')
      return issue.keys.map((key) => ({
        field: [...issue.path, key].join('.'),
        message: 'is not a known field',
      }));
    return [{ field: issue.path.join('.') || '(body)', message: issue.message }];
  });
}
