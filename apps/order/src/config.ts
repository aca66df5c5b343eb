import { z } from 'zod';
import { authServiceEnv } from '@platform/auth';
import { env, kafkaTopicEnv, parseConfig, requireOutsideEmbedded } from '@platform/config';

const positiveMs = (fallback: number) => z.coerce.number().int().positive().default(fallback);

const orderSchema = z
  .object({
    PORT: env.port(3002),
    HOST: env.host(),
    PROFILE: env.profile(),
    LOG_LEVEL: env.logLevel(),
    LOG_FORMAT: env.logFormat(),
    OTEL_EXPORTER_OTLP_ENDPOINT: env.optionalUrl(),
    MONGO_URL: env.optionalString(),
    MONGO_DATABASE: z.string().min(1).default('order'),
    REDIS_URL: env.optionalString(),
    KAFKA_BROKERS: env.optionalString(),
    ...kafkaTopicEnv,
    /** The group that consumes the saga's replies; every instance joins it, sharing the partitions. */
    KAFKA_CONSUMER_GROUP: z.string().min(1).default('order'),
    /** Where a consumer group without committed offsets starts, as Kafka's `auto.offset.reset`. */
    KAFKA_AUTO_OFFSET_RESET: z.enum(['earliest', 'latest']).default('earliest'),
    /** Prices are read from the inventory service's `GET /api/products/{sku}`; several URLs: its instances, in turn. */
    INVENTORY_URL: env.urls('http://127.0.0.1:3004'),
    /** Per attempt, until inventory's headers arrive; a price read is retried (GET is idempotent). */
    INVENTORY_TIMEOUT_MS: positiveMs(2000),
    /** How long the breaker stays open once inventory kept failing; also the 503's Retry-After. */
    INVENTORY_BREAKER_RESET_MS: positiveMs(10_000),
    ...authServiceEnv,
    /**
     * How often the outbox relay looks for events it was not told about (a crash, another
     * instance): each write of an order or a saga step wakes it at once, so this is the safety net.
     */
    OUTBOX_RELAY_INTERVAL_MS: positiveMs(5000),
    /** Deadline of ReserveStock and of CommitStock. */
    ORDER_STOCK_TIMEOUT_MS: positiveMs(30_000),
    /**
     * Deadline of AuthorizePayment: longer than the payment service's provider timeout × attempts
     * (2 s × 2), shorter than the simulator's `tok_slow` delay (10 s), so `tok_slow` ends in TIMEOUT.
     */
    ORDER_PAYMENT_TIMEOUT_MS: positiveMs(8000),
    /** How long a compensation (ReleaseStock) waits for its confirmation before it is sent again. */
    ORDER_COMPENSATION_TIMEOUT_MS: positiveMs(10_000),
    /** How often overdue saga steps are looked for. */
    ORDER_SAGA_TICK_MS: positiveMs(1000),
    /**
     * How often an open `/events` stream reads its order again unasked: every saved change is
     * pushed to it at once (ORDER_STATUS_CHANGES), so this only bounds a lost notification.
     */
    ORDER_EVENTS_POLL_MS: positiveMs(5000),
    /** A comment line on an idle `/events` stream, so proxies keep it open. */
    ORDER_EVENTS_HEARTBEAT_MS: positiveMs(15_000),
    /** Open `/events` streams per user and instance; more answer 429 (each holds a connection and timers). */
    ORDER_EVENTS_MAX_STREAMS_PER_USER: z.coerce.number().int().positive().default(10),
    /**
     * Back-pressure: no order is placed while the admission limit's count is unfinished across every
     * instance (503 `overloaded`, `Retry-After`), so the backlog stays small enough to finish before
     * its deadlines. The limit adapts to how fast orders are decided (UnfinishedSagaLimit in
     * libs/saga), between these two bounds.
     */
    ORDER_MAX_UNFINISHED: z.coerce.number().int().positive().default(200),
    ORDER_MIN_UNFINISHED: z.coerce.number().int().positive().default(4),
  })
  .superRefine((config, context) =>
    requireOutsideEmbedded(config, context, ['MONGO_URL', 'REDIS_URL', 'KAFKA_BROKERS']),
  );

export type OrderConfig = z.output<typeof orderSchema>;

export function loadOrderConfig(variables: NodeJS.ProcessEnv): OrderConfig {
  return parseConfig(orderSchema, variables, 'order');
}
