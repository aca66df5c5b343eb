import { z } from 'zod';

/** A configuration value that is missing or wrong; the message names every offending variable. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/**
 * Reads an app's configuration from environment variables through its zod schema. The schema's
 * keys are the variable names, so an error names exactly what to fix.
 */
export function parseConfig<Schema extends z.ZodType>(schema: Schema, env: NodeJS.ProcessEnv, app: string): z.output<Schema> {
  const result = schema.safeParse(env);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => `  ${issue.path.join('.') || '(env)'}: ${issue.message}`);
  throw new ConfigError(`${app}: invalid configuration\n${problems.join('\n')}`);
}

/** The building blocks every app's schema shares. */
export const env = {
  port: (fallback: number) => z.coerce.number().int().min(0).max(65535).default(fallback),
  host: () => z.string().min(1).default('127.0.0.1'),
  profile: () => z.enum(['embedded', 'local', 'compose', 'production']).default('local'),
  logLevel: () => z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  optionalUrl: () =>
    z
      .string()
      .optional()
      .transform((value) => (value === '' ? undefined : value))
      .pipe(z.url().optional()),
};
