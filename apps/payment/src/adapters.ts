import { connectMessaging, type MessagingConnection, type OutboxStore } from '@platform/messaging';
import type { ReadinessCheck } from '@platform/observability';
import type { Registry } from 'prom-client';
import {
  type Closable,
  cassandraReadiness,
  createCassandraClient,
  ensureKeyspace,
} from '@platform/persistence';
import type { PaymentConfig } from './config';
import { CassandraPaymentStore } from './store/cassandra-payment-store';
import { InMemoryPaymentStore } from './store/in-memory-payment-store';
import type { PaymentStore } from './store/payment-store.port';

export interface PaymentAdapters {
  store: PaymentStore;
  /** Where the store's pending events wait for the relay. */
  outbox: OutboxStore;
  messaging: MessagingConnection;
  readinessChecks: ReadinessCheck[];
  /** Messaging first: its handlers and relay finish before the store they use closes. */
  closables: Closable[];
}

/** The embedded profile: an in-memory store and outbox, and the process's shared in-memory bus. */
export async function inMemoryAdapters(metrics: Registry): Promise<PaymentAdapters> {
  const messaging = await connectMessaging({ service: 'payment', profile: 'embedded', metrics });
  const store = new InMemoryPaymentStore();
  return {
    store,
    outbox: store.outbox,
    messaging,
    readinessChecks: [],
    closables: [{ name: 'messaging', close: () => messaging.close() }],
  };
}

/**
 * local, compose, production: Cassandra and Kafka. Both must answer at start: the keyspace and
 * tables are created before the handlers subscribe, and the topics are declared.
 */
export async function connectedAdapters(config: PaymentConfig, metrics: Registry): Promise<PaymentAdapters> {
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
    const store = new CassandraPaymentStore(cassandra, config.CASSANDRA_KEYSPACE);
    await store.ensureSchema();
    const connected = await connectMessaging({
      service: 'payment',
      profile: config.PROFILE,
      brokers: config.KAFKA_BROKERS,
      topicPartitions: config.KAFKA_TOPIC_PARTITIONS,
      topicReplicationFactor: config.KAFKA_TOPIC_REPLICATION_FACTOR,
      metrics,
    });
    return {
      store,
      outbox: store.outbox,
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
