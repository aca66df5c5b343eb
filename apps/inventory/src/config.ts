import { z } from 'zod';
import { authServiceEnv } from '@platform/auth';
import { env, kafkaTopicEnv, parseConfig, requireOutsideEmbedded } from '@platform/config';

const inventorySchema = z
  .object({
    PORT: env.port(3004),
    HOST: env.host(),
    PROFILE: env.profile(),
    LOG_LEVEL: env.logLevel(),
    LOG_FORMAT: env.logFormat(),
    OTEL_EXPORTER_OTLP_ENDPOINT: env.optionalUrl(),
    MONGO_URL: env.optionalString(),
    MONGO_DATABASE: z.string().min(1).default('inventory'),
    REDIS_URL: env.optionalString(),
    KAFKA_BROKERS: env.optionalString(),
    ...kafkaTopicEnv,
    /** The group that consumes `inventory.commands.v1`; every instance joins it, sharing the partitions. */
    KAFKA_CONSUMER_GROUP: z.string().min(1).default('inventory'),
    /** Where a consumer group without committed offsets starts, as Kafka's `auto.offset.reset`. */
    KAFKA_AUTO_OFFSET_RESET: z.enum(['earliest', 'latest']).default('earliest'),
    /** How long a product view may be served from the cache: the most `available` can lag a change. */
    PRODUCT_CACHE_TTL_SECONDS: z.coerce.number().int().positive().default(5),
    /** Access tokens are verified against the auth service's published keys. */
    ...authServiceEnv,
  })
  .superRefine((config, context) =>
    requireOutsideEmbedded(config, context, ['MONGO_URL', 'REDIS_URL', 'KAFKA_BROKERS']),
  );

export type InventoryConfig = z.output<typeof inventorySchema>;

export function loadInventoryConfig(variables: NodeJS.ProcessEnv): InventoryConfig {
  return parseConfig(inventorySchema, variables, 'inventory');
}
