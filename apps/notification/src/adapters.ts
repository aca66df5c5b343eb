import { connectMessaging, type MessagingConnection } from '@platform/messaging';
import type { ReadinessCheck } from '@platform/observability';
import type { Registry } from 'prom-client';
import {
  type Closable,
  cassandraReadiness,
  createCassandraClient,
  ensureKeyspace,
} from '@platform/persistence';
import type { NotificationConfig } from './config';
import { CassandraNotificationStore } from './store/cassandra-notification-store';
import { InMemoryNotificationStore } from './store/in-memory-notification-store';
import type { NotificationStore } from './store/notification-store.port';

export interface NotificationAdapters {
  store: NotificationStore;
  messaging: MessagingConnection;
  readinessChecks: ReadinessCheck[];
  /** Messaging first: its handlers finish before the store they write to closes. */
  closables: Closable[];
}

const messagingClosable = (messaging: MessagingConnection): Closable => ({
  name: 'messaging',
  close: () => messaging.close(),
});

/** The embedded profile: an in-memory store and the process's shared in-memory bus. */
export async function inMemoryAdapters(metrics: Registry, clock?: () => Date): Promise<NotificationAdapters> {
  const messaging = await connectMessaging({ service: 'notification', profile: 'embedded', metrics });
  return {
    store: new InMemoryNotificationStore(clock),
    messaging,
    readinessChecks: [],
    closables: [messagingClosable(messaging)],
  };
}

/**
 * local, compose, production: Cassandra and Kafka. Both must answer at start: the keyspace and
 * tables are created before the handlers subscribe, and the topics are declared.
 */
export async function connectedAdapters(
  config: NotificationConfig,
  metrics: Registry,
  clock?: () => Date,
): Promise<NotificationAdapters> {
  if (!config.CASSANDRA_CONTACT_POINTS || !config.KAFKA_BROKERS)
    throw new Error('CASSANDRA_CONTACT_POINTS and KAFKA_BROKERS are required outside the embedded profile');
  const cassandra = createCassandraClient(
    config.CASSANDRA_CONTACT_POINTS,
    config.CASSANDRA_LOCAL_DATA_CENTER,
  );
  const closeCassandra: Closable = { name: 'cassandra', close: () => cassandra.shutdown() };
  try {
    await cassandra.connect();
    await ensureKeyspace(cassandra, config.CASSANDRA_KEYSPACE, config.CASSANDRA_REPLICATION_FACTOR);
    const store = new CassandraNotificationStore(cassandra, config.CASSANDRA_KEYSPACE, clock);
    await store.ensureSchema();
    const connected = await connectMessaging({
      service: 'notification',
      profile: config.PROFILE,
      brokers: config.KAFKA_BROKERS,
      topicPartitions: config.KAFKA_TOPIC_PARTITIONS,
      topicReplicationFactor: config.KAFKA_TOPIC_REPLICATION_FACTOR,
      metrics,
    });
    return {
      store,
      messaging: connected,
      readinessChecks: [cassandraReadiness(cassandra), ...connected.readinessChecks],
      // One closable, so the order holds however the closables are run: handlers finish, then Cassandra closes.
      closables: [
        {
          name: 'messaging, then cassandra',
          close: async () => {
            await connected.close();
            await closeCassandra.close();
          },
        },
      ],
    };
  } catch (error) {
    // connectMessaging closes what it opened when it fails.
    await closeCassandra.close().catch(() => undefined);
    throw error;
  }
}
