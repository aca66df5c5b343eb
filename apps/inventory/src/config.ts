import { z } from 'zod';
import { authServiceEnv } from '@platform/auth';
import { env, parseConfig } from '@platform/config';

const optionalString = () =>
  z
    .string()
    .optional()
    .transform((value) => (value === '' ? undefined : value));

const inventorySchema = z
  .object({
    PORT: env.port(3004),
    HOST: env.host(),
    PROFILE: env.profile(),
    LOG_LEVEL: env.logLevel(),
    OTEL_EXPORTER_OTLP_ENDPOINT: env.optionalUrl(),
    MONGO_URL: optionalString(),
    MONGO_DATABASE: z.string().min(1).default('inventory'),
    REDIS_URL: optionalString(),
    KAFKA_BROKERS: optionalString(),
    KAFKA_TOPIC_PARTITIONS: z.coerce.number().int().positive().default(3),
    /** The group that consumes `inventory.commands.v1`; every instance joins it, sharing the partitions. */
    KAFKA_CONSUMER_GROUP: z.string().min(1).default('inventory'),
    /** Where a consumer group without committed offsets starts, as Kafka's `auto.offset.reset`. */
    KAFKA_AUTO_OFFSET_RESET: z.enum(['earliest', 'latest']).default('earliest'),
    /** How long a product view may be served from the cache: the most `available` can lag a change. */
    PRODUCT_CACHE_TTL_SECONDS: z.coerce.number().int().positive().default(5),
    /** Access tokens are verified against the auth service's published keys. */
    ...authServiceEnv,
  })
  .superRefine((config, context) => {
    if (config.PROFILE === 'embedded') return;
    for (const name of ['MONGO_URL', 'REDIS_URL', 'KAFKA_BROKERS'] as const) {
      if (config[name] === undefined)
        context.addIssue({
          code: 'custom',
          path: [name],
          message: `required in the ${config.PROFILE} profile`,
        });
    }
  });

export type InventoryConfig = z.output<typeof inventorySchema>;

export function loadInventoryConfig(variables: NodeJS.ProcessEnv): InventoryConfig {
  return parseConfig(inventorySchema, variables, 'inventory');
}
