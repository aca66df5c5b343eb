import { z } from 'zod';
import { authServiceEnv } from '@platform/auth';
import { env, kafkaTopicEnv, parseConfig, requireOutsideEmbedded } from '@platform/config';
import { keyspaceNamePattern } from '@platform/persistence';

const positiveMs = (fallback: number) => z.coerce.number().int().positive().default(fallback);

/*
 * Timing, from the provider up to the order saga (defaults):
 * - one charge call answers within PROVIDER_TIMEOUT_MS (2 s) per attempt, PROVIDER_MAX_ATTEMPTS (2)
 *   attempts with at most PROVIDER_RETRY_MAX_DELAY_MS (500 ms) between them: a payment the provider
 *   answers is decided within about 4.5 s, well inside the order saga's payment deadline
 *   (ORDER_PAYMENT_TIMEOUT_MS, 8 s), so the saga times out only on payments in doubt;
 * - a payment in doubt (a timed-out charge, e.g. `tok_slow`, which the simulator decides after
 *   SLOW_TOKEN_DELAY_MS, 10 s) stays PENDING without a reply; the reconciler asks the provider again
 *   every PAYMENT_RECONCILE_INTERVAL_MS (2 s) once the first call's whole budget has passed, and
 *   sends the late outcome when it learns it (the saga, CANCELLED(TIMEOUT) by then, answers a late
 *   PaymentAuthorized with RefundPayment).
 */
const paymentSchema = z
  .object({
    PORT: env.port(3003),
    HOST: env.host(),
    PROFILE: env.profile(),
    LOG_LEVEL: env.logLevel(),
    LOG_FORMAT: env.logFormat(),
    OTEL_EXPORTER_OTLP_ENDPOINT: env.optionalUrl(),
    /** `host:port,host:port`. */
    CASSANDRA_CONTACT_POINTS: env.optionalString(),
    CASSANDRA_LOCAL_DATA_CENTER: z.string().min(1).default('datacenter1'),
    CASSANDRA_KEYSPACE: z
      .string()
      .regex(keyspaceNamePattern, 'lower-case letters, digits and _, starting with a letter')
      .default('payment'),
    CASSANDRA_REPLICATION_FACTOR: z.coerce.number().int().positive().default(1),
    KAFKA_BROKERS: env.optionalString(),
    ...kafkaTopicEnv,
    /** The consumer group of the command handlers; tests give each run its own. */
    KAFKA_CONSUMER_GROUP: z.string().min(1).default('payment'),
    /** Where a consumer group without committed offsets starts, as Kafka's `auto.offset.reset`. */
    KAFKA_AUTO_OFFSET_RESET: z.enum(['earliest', 'latest']).default('earliest'),
    /**
     * How often the outbox relay looks for payment events it was not told about (a crash, another
     * instance): each write of an event wakes it at once, so this is only the safety net.
     */
    OUTBOX_RELAY_INTERVAL_MS: positiveMs(5000),
    /** The payment provider (the simulator, Stripe-like; the embedded runner starts it on this port). */
    PROVIDER_URL: z.url().default('http://127.0.0.1:3006'),
    /** Per attempt; a charge without an answer by then is in doubt: PENDING until the reconciler learns its outcome. */
    PROVIDER_TIMEOUT_MS: positiveMs(2000),
    /** Attempts per call, the first included; only calls that certainly charged nothing are tried again. */
    PROVIDER_MAX_ATTEMPTS: z.coerce.number().int().positive().default(2),
    /** The longest backoff between two attempts (full jitter below it). */
    PROVIDER_RETRY_MAX_DELAY_MS: positiveMs(500),
    /** How long the open breaker refuses calls before it lets a trial call through. */
    PROVIDER_BREAKER_RESET_MS: positiveMs(10_000),
    PROVIDER_BREAKER_ERROR_PERCENT: z.coerce.number().int().min(1).max(100).default(50),
    PROVIDER_BREAKER_VOLUME_THRESHOLD: z.coerce.number().int().positive().default(5),
    PROVIDER_BREAKER_WINDOW_MS: positiveMs(10_000),
    /** How often each instance looks for payments in doubt and unfinished refunds. */
    PAYMENT_RECONCILE_INTERVAL_MS: positiveMs(2000),
    /** Access tokens are verified against the auth service's published keys. */
    ...authServiceEnv,
  })
  .superRefine((config, context) =>
    requireOutsideEmbedded(config, context, ['CASSANDRA_CONTACT_POINTS', 'KAFKA_BROKERS']),
  );

export type PaymentConfig = z.output<typeof paymentSchema>;

export function loadPaymentConfig(variables: NodeJS.ProcessEnv): PaymentConfig {
  return parseConfig(paymentSchema, variables, 'payment');
}

/** Lets clocks of different instances disagree this much without a reconciler overtaking a first call. */
const clockSkewAllowanceMs = 1000;

/**
 * How long after a payment was claimed the reconciler may ask the provider about it: only once the
 * first call has certainly ended (every attempt timed out, with the backoffs between them). Before
 * that, the claiming delivery could still be deciding FAILED on a refused attempt while the
 * reconciler's call with the same key charged.
 */
export function firstCallBudgetMs(config: PaymentConfig): number {
  const attempts = config.PROVIDER_MAX_ATTEMPTS;
  return (
    attempts * config.PROVIDER_TIMEOUT_MS +
    (attempts - 1) * config.PROVIDER_RETRY_MAX_DELAY_MS +
    clockSkewAllowanceMs
  );
}
