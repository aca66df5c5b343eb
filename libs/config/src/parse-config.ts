import { z } from 'zod';

/** A configuration value that is missing or wrong; the message names every offending variable. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/**
 * Where the local profile's servers listen (`npm run infra:up`), so an app started by hand finds
 * them with no variables set. Other profiles get no such defaults: compose and production name
 * every server explicitly, and the embedded profile uses in-memory adapters.
 */
export const localProfileDefaults: Readonly<Record<string, string>> = {
  OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318',
  JAEGER_QUERY_URL: 'http://127.0.0.1:16686',
  KAFKA_BROKERS: '127.0.0.1:9092',
  MONGO_URL: 'mongodb://127.0.0.1:27017',
  CASSANDRA_CONTACT_POINTS: '127.0.0.1:9042',
  REDIS_URL: 'redis://127.0.0.1:6379',
};

/**
 * Reads an app's configuration from environment variables through its zod schema. The schema's
 * keys are the variable names, so an error names exactly what to fix.
 */
export function parseConfig<Schema extends z.ZodType>(
  schema: Schema,
  variables: NodeJS.ProcessEnv,
  app: string,
): z.output<Schema> {
  const profile = variables['PROFILE'] || 'local';
  const result = schema.safeParse(
    profile === 'local' ? { ...localProfileDefaults, ...variables } : variables,
  );
  if (result.success) return result.data;
  const problems = result.error.issues.map(
    (issue) => `  ${issue.path.join('.') || '(env)'}: ${issue.message}`,
  );
  throw new ConfigError(`${app}: invalid configuration\n${problems.join('\n')}`);
}

/** The building blocks every app's schema shares. */
export const env = {
  port: (fallback: number) => z.coerce.number().int().min(0).max(65535).default(fallback),
  host: () => z.string().min(1).default('127.0.0.1'),
  profile: () => z.enum(['embedded', 'local', 'compose', 'production']).default('local'),
  logLevel: () => z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** `pretty` or `json`; unset, logs are pretty on a terminal and JSON otherwise. */
  logFormat: () =>
    z
      .enum(['pretty', 'json', ''])
      .optional()
      .transform((value) => value || undefined),
  /** An unset or empty variable is absent (compose and shells pass `VAR=` for "not set"). */
  optionalString: () =>
    z
      .string()
      .optional()
      .transform((value) => (value === '' ? undefined : value)),
  /** One URL, or several separated by commas: the instances of one service (`baseUrlsOf`, `@platform/resilience`). */
  urls: (fallback: string) =>
    z
      .string()
      .default(fallback)
      .refine((value) => value.split(',').every((url) => z.url().safeParse(url.trim()).success), {
        message: 'expected one URL, or several separated by commas',
      }),
  optionalUrl: () =>
    z
      .string()
      .optional()
      .transform((value) => (value === '' ? undefined : value))
      .pipe(z.url().optional()),
};

/** The topic settings of every app that declares Kafka topics at start-up (spread into its schema). */
export const kafkaTopicEnv = {
  /** Partitions of each topic created (and its retry and dead-letter topics): a consumer group's useful size. */
  KAFKA_TOPIC_PARTITIONS: z.coerce.number().int().positive().default(3),
  /**
   * Copies of each partition. 1 on the single local broker; in production at least 3, so that
   * acks=all with the brokers' `min.insync.replicas=2` survives the loss of a broker.
   */
  KAFKA_TOPIC_REPLICATION_FACTOR: z.coerce.number().int().positive().default(1),
};

/**
 * For a schema's `superRefine`: each of `names` must be set unless the profile is embedded, whose
 * in-memory adapters need no server. The error names the variable and the profile.
 */
export function requireOutsideEmbedded<Config extends { PROFILE: string }>(
  config: Config,
  context: z.RefinementCtx,
  names: readonly (keyof Config & string)[],
): void {
  if (config.PROFILE === 'embedded') return;
  for (const name of names) {
    if (config[name] === undefined)
      context.addIssue({
        code: 'custom',
        path: [name],
        message: `required in the ${config.PROFILE} profile`,
      });
  }
}
