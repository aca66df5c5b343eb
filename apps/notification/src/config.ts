import { z } from 'zod';
import { authServiceEnv } from '@platform/auth';
import { env, kafkaTopicEnv, parseConfig, requireOutsideEmbedded } from '@platform/config';
import { keyspaceNamePattern } from '@platform/persistence';

const notificationSchema = z
  .object({
    PORT: env.port(3005),
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
      .default('notification'),
    CASSANDRA_REPLICATION_FACTOR: z.coerce.number().int().positive().default(1),
    KAFKA_BROKERS: env.optionalString(),
    ...kafkaTopicEnv,
    /** The consumer group of the event handlers; tests give each run its own. */
    KAFKA_CONSUMER_GROUP: z.string().min(1).default('notification'),
    /** Where a consumer group without committed offsets starts, as Kafka's `auto.offset.reset`. */
    KAFKA_AUTO_OFFSET_RESET: z.enum(['earliest', 'latest']).default('earliest'),
    ...authServiceEnv,
  })
  .superRefine((config, context) =>
    requireOutsideEmbedded(config, context, ['CASSANDRA_CONTACT_POINTS', 'KAFKA_BROKERS']),
  );

export type NotificationConfig = z.output<typeof notificationSchema>;

export function loadNotificationConfig(variables: NodeJS.ProcessEnv): NotificationConfig {
  return parseConfig(notificationSchema, variables, 'notification');
}
