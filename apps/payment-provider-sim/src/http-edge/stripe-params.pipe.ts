import type { PipeTransform } from '@nestjs/common';
import type { z } from 'zod';
import { StripeError } from './stripe-error';

/**
 * Validates a `/v1` body with a zod schema and refuses the first bad parameter as Stripe does:
 * 400 `invalid_request_error` naming it (`metadata[orderId]`) with `parameter_missing`,
 * `parameter_unknown` or `parameter_invalid`.
 */
export class StripeParamsPipe<Schema extends z.ZodType> implements PipeTransform<unknown, z.output<Schema>> {
  constructor(private readonly schema: Schema) {}

  transform(value: unknown): z.output<Schema> {
    const input = value ?? {};
    const result = this.schema.safeParse(input);
    if (result.success) return result.data;
    const issue = result.error.issues[0];
    if (!issue) throw StripeError.invalidRequest(400, 'parameter_invalid', undefined, 'Invalid request.');
    if (issue.code === 'unrecognized_keys') {
      const param = stripeParamName([...issue.path, issue.keys[0] ?? '']);
      throw StripeError.invalidRequest(
        400,
        'parameter_unknown',
        param,
        `Received unknown parameter: ${param}`,
      );
    }
    const param = stripeParamName(issue.path);
    if (valueAt(input, issue.path) === undefined)
      throw StripeError.invalidRequest(400, 'parameter_missing', param, `Missing required param: ${param}.`);
    throw StripeError.invalidRequest(400, 'parameter_invalid', param, `Invalid ${param}: ${issue.message}`);
  }
}

/** `['metadata', 'orderId']` → `metadata[orderId]`, Stripe's way of naming nested parameters. */
function stripeParamName(path: readonly PropertyKey[]): string {
  const [head, ...rest] = path.map(String);
  return `${head ?? ''}${rest.map((part) => `[${part}]`).join('')}`;
}

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let current = input;
  for (const key of path) {
    if (typeof current !== 'object' || current === null) return undefined;
    current = (current as Record<PropertyKey, unknown>)[key];
  }
  return current;
}
