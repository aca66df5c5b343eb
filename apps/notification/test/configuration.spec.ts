import { loadNotificationConfig } from '../src';

describe('notification configuration', () => {
  it('when nothing is set in the embedded profile, then the defaults apply and no server is required', () => {
    const config = loadNotificationConfig({ PROFILE: 'embedded' });
    expect(config.CASSANDRA_CONTACT_POINTS).toBeUndefined();
    expect(config.KAFKA_BROKERS).toBeUndefined();
    expect(config).toMatchObject({
      PORT: 3005,
      CASSANDRA_LOCAL_DATA_CENTER: 'datacenter1',
      CASSANDRA_KEYSPACE: 'notification',
      KAFKA_TOPIC_PARTITIONS: 3,
      KAFKA_CONSUMER_GROUP: 'notification',
      AUTH_URL: 'http://127.0.0.1:3001',
    });
  });

  it('when nothing is set in the local profile, then Cassandra and Kafka default to the local servers', () => {
    expect(loadNotificationConfig({})).toMatchObject({
      CASSANDRA_CONTACT_POINTS: '127.0.0.1:9042',
      KAFKA_BROKERS: '127.0.0.1:9092',
    });
  });

  it('when the compose profile names no servers, then loading fails naming both variables', () => {
    expect(() => loadNotificationConfig({ PROFILE: 'compose' })).toThrow(
      /CASSANDRA_CONTACT_POINTS: required[\s\S]*KAFKA_BROKERS: required/,
    );
  });

  it.each(['Notification', 'notification; DROP KEYSPACE x', '1notification', ''])(
    'when the keyspace is %j, then loading fails naming CASSANDRA_KEYSPACE',
    (keyspace) => {
      expect(() => loadNotificationConfig({ PROFILE: 'embedded', CASSANDRA_KEYSPACE: keyspace })).toThrow(
        /CASSANDRA_KEYSPACE/,
      );
    },
  );
});

describe('notification configuration in the production profile: no server has a default', () => {
  const own = {
    PROFILE: 'production',
    CASSANDRA_CONTACT_POINTS: 'cassandra:9042',
    KAFKA_BROKERS: 'kafka:9092',
  };

  it('when each is named, then the configuration loads', () => {
    expect(loadNotificationConfig(own).CASSANDRA_CONTACT_POINTS).toBe('cassandra:9042');
  });

  it.each(['CASSANDRA_CONTACT_POINTS', 'KAFKA_BROKERS'])(
    'when %s is unset, then loading fails naming it',
    (name) => {
      expect(() => loadNotificationConfig({ ...own, [name]: undefined })).toThrow(
        new RegExp(`${name}: required in the production profile`),
      );
    },
  );
});
