import { type ArgumentMetadata, type PipeTransform } from '@nestjs/common';
import { z } from 'zod';
import { ProblemException } from './problem';

/** The part of the request a refused value was, in the problem's words. */
interface RequestPart {
  detail: string;
  /** The `field` of an error about the whole value. */
  whole: string;
  /** The `message` of an unknown field. */
  unknown: string;
}

const body: RequestPart = {
  detail: 'The request body is not valid.',
  whole: '(body)',
  unknown: 'is not a known field',
};
const partOfRequest: Record<ArgumentMetadata['type'], RequestPart> = {
  body,
  query: { detail: 'The query string is not valid.', whole: '(query)', unknown: 'is not a known parameter' },
  param: { detail: 'The path is not valid.', whole: '(path)', unknown: 'is not a known parameter' },
  custom: body,
};

/**
 * Validates a request body, query or path parameters with a zod schema: the schema is the single
 * definition of the shape, its TypeScript type and (through `openApiSchemaOf` and `ApiContract`)
 * its OpenAPI schema. A failure is a 400 `validation-failed` problem listing each offending field
 * and saying which part of the request was wrong; use `z.strictObject` so unknown fields fail too.
 */
export class ZodValidationPipe<Schema extends z.ZodType> implements PipeTransform<unknown, z.output<Schema>> {
  constructor(private readonly schema: Schema) {}

  /** `metadata` is Nest's (`@Body`, `@Query`, `@Param`); called by hand without it, the value is a body. */
  transform(value: unknown, metadata?: Pick<ArgumentMetadata, 'type'>): z.output<Schema> {
    const result = this.schema.safeParse(value ?? {});
    if (result.success) return result.data;
    const part = partOfRequest[metadata?.type ?? 'body'];
    throw new ProblemException({
      status: 400,
      type: 'validation-failed',
      detail: part.detail,
      extensions: { errors: result.error.issues.flatMap((issue) => fieldErrorsOf(issue, part)) },
    });
  }
}

/**
 * The OpenAPI 3.0 schema of a zod schema: of what a client sends (`io: 'input'`, for bodies and
 * parameters) or of what a server answers (`io: 'output'`, for responses).
 */
export function openApiSchemaOf(
  schema: z.ZodType,
  io: 'input' | 'output' = 'input',
): Record<string, unknown> {
  return z.toJSONSchema(schema, { target: 'openapi-3.0', io }) as Record<string, unknown>;
}

/** One entry per offending field; an unknown-keys issue names each unknown field. */
function fieldErrorsOf(issue: z.core.$ZodIssue, part: RequestPart): { field: string; message: string }[] {
  const at = issue.path.map(String);
  if (issue.code === 'unrecognized_keys')
    return issue.keys.map((key) => ({ field: [...at, key].join('.'), message: part.unknown }));
  return [{ field: at.join('.') || part.whole, message: issue.message }];
}
