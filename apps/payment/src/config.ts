import { z } from 'zod';
import { env, parseConfig } from '@platform/config';
import { keyspaceNamePattern } from './store/cassandra-keyspace';

const optionalString = () =>
  z
    .string()
    .optional()
    .transform((value) => (value === '' ? undefined : value));

const paymentSchema = z
  .object({
    PORT: env.port(3003),
    HOST: env.host(),
    PROFILE: env.profile(),
    LOG_LEVEL: env.logLevel(),
    OTEL_EXPORTER_OTLP_ENDPOINT: env.optionalUrl(),
    /** `host:port,host:port`. */
    CASSANDRA_CONTACT_POINTS: optionalString(),
    CASSANDRA_LOCAL_DATA_CENTER: z.string().min(1).default('datacenter1'),
    CASSANDRA_KEYSPACE: z
      .string()
      .regex(keyspaceNamePattern, 'lower-case letters, digits and _, starting with a letter')
      .default('payment'),
    CASSANDRA_REPLICATION_FACTOR: z.coerce.number().int().positive().default(1),
    KAFKA_BROKERS: optionalString(),
    KAFKA_TOPIC_PARTITIONS: z.coerce.number().int().positive().default(3),
    /** The consumer group of the command handlers; tests give each run its own. */
    KAFKA_CONSUMER_GROUP: z.string().min(1).default('payment'),
    /** Where a consumer group without committed offsets starts, as Kafka's `auto.offset.reset`. */
    KAFKA_AUTO_OFFSET_RESET: z.enum(['earliest', 'latest']).default('earliest'),
    /** The payment provider (the simulator, Stripe-like). */
    PROVIDER_URL: z.url().default('http://127.0.0.1:3006'),
    /** Per attempt; a charge without an answer by then is a PaymentFailed(PROVIDER_TIMEOUT). */
    PROVIDER_TIMEOUT_MS: z.coerce.number().int().positive().default(3000),
    /** Attempts per call, the first included; only connection errors and 5xx are tried again. */
    PROVIDER_MAX_ATTEMPTS: z.coerce.number().int().positive().default(2),
    PROVIDER_BREAKER_RESET_MS: z.coerce.number().int().positive().default(10_000),
    PROVIDER_BREAKER_ERROR_PERCENT: z.coerce.number().int().min(1).max(100).default(50),
    PROVIDER_BREAKER_VOLUME_THRESHOLD: z.coerce.number().int().positive().default(5),
    PROVIDER_BREAKER_WINDOW_MS: z.coerce.number().int().positive().default(10_000),
    /** Access tokens are verified against `${AUTH_URL}/.well-known/jwks.json`. */
    AUTH_URL: z.url().default('http://127.0.0.1:3001'),
    AUTH_ISSUER: z.string().min(1).default('platform-auth'),
    AUTH_AUDIENCE: z.string().min(1).default('platform'),
  })
  .superRefine((config, context) => {
    if (config.PROFILE === 'embedded') return;
    for (const name of ['CASSANDRA_CONTACT_POINTS', 'KAFKA_BROKERS'] as const) {
      if (config[name] === undefined)
        context.addIssue({
          code: 'custom',
          path: [name],
          message: `required in the ${config.PROFILE} profile`,
        });
    }
  });

export type PaymentConfig = z.output<typeof paymentSchema>;

export function loadPaymentConfig(variables: NodeJS.ProcessEnv): PaymentConfig {
  return parseConfig(paymentSchema, variables, 'payment');
}
