import { cassandraReadiness, createCassandraClient } from '@platform/persistence';
import { freePort } from '@platform/testing';
import { createApp, loadNotificationConfig } from '../src';

describe('when Cassandra does not answer', () => {
  it('then the readiness check fails naming cassandra', async () => {
    const client = createCassandraClient(`127.0.0.1:${await freePort()}`, 'datacenter1');
    try {
      const readiness = cassandraReadiness(client);
      expect(readiness.name).toBe('cassandra');
      await expect(readiness.check()).rejects.toThrow();
    } finally {
      await client.shutdown();
    }
  });

  it('then the service does not start in the local profile, and says why', async () => {
    const config = loadNotificationConfig({
      PROFILE: 'local',
      LOG_LEVEL: 'silent',
      OTEL_EXPORTER_OTLP_ENDPOINT: '',
      CASSANDRA_CONTACT_POINTS: `127.0.0.1:${await freePort()}`,
      // Never reached: the service gives up on Cassandra first.
      KAFKA_BROKERS: `127.0.0.1:${await freePort()}`,
    });
    await expect(createApp(config)).rejects.toThrow(/host|connect/i);
  });
});
