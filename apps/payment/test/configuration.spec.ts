import { ConfigError } from '@platform/config';
import { listenOnEphemeralPort } from '@platform/testing';
import { createApp, loadPaymentConfig } from '../src';
import { firstCallBudgetMs } from '../src/config';

describe('payment configuration', () => {
  it('when nothing is set in the embedded profile, then the defaults apply and no server is required', () => {
    const config = loadPaymentConfig({ PROFILE: 'embedded' });
    expect(config.CASSANDRA_CONTACT_POINTS).toBeUndefined();
    expect(config.KAFKA_BROKERS).toBeUndefined();
    expect(config).toMatchObject({
      PORT: 3003,
      CASSANDRA_KEYSPACE: 'payment',
      KAFKA_CONSUMER_GROUP: 'payment',
      OUTBOX_RELAY_INTERVAL_MS: 5000,
      PROVIDER_URL: 'http://127.0.0.1:3006',
      PROVIDER_TIMEOUT_MS: 2000,
      PROVIDER_MAX_ATTEMPTS: 2,
      PROVIDER_BREAKER_RESET_MS: 10_000,
      PAYMENT_RECONCILE_INTERVAL_MS: 2000,
      AUTH_URL: 'http://127.0.0.1:3001',
      AUTH_ISSUER: 'platform-auth',
      AUTH_AUDIENCE: 'platform',
    });
  });

  it('when nothing is set in the local profile, then Cassandra and Kafka default to the local servers', () => {
    expect(loadPaymentConfig({})).toMatchObject({
      CASSANDRA_CONTACT_POINTS: '127.0.0.1:9042',
      KAFKA_BROKERS: '127.0.0.1:9092',
    });
  });

  it('when the compose profile names no servers, then loading fails naming both variables', () => {
    expect(() => loadPaymentConfig({ PROFILE: 'compose' })).toThrow(ConfigError);
    expect(() => loadPaymentConfig({ PROFILE: 'compose' })).toThrow(
      /CASSANDRA_CONTACT_POINTS: required[\s\S]*KAFKA_BROKERS: required/,
    );
  });

  it.each([
    ['PROVIDER_TIMEOUT_MS', '0'],
    ['PROVIDER_MAX_ATTEMPTS', 'two'],
    ['PROVIDER_URL', 'not a url'],
    ['PAYMENT_RECONCILE_INTERVAL_MS', '-5'],
    ['CASSANDRA_KEYSPACE', 'payment; DROP KEYSPACE x'],
    ['AUTH_URL', 'not a url'],
  ])('when %s is %p, then loading fails naming it', (name, value) => {
    expect(() => loadPaymentConfig({ PROFILE: 'embedded', [name]: value })).toThrow(new RegExp(name));
  });

  it('when the defaults apply, then a payment the provider answers is decided before the order saga gives up (8 s)', () => {
    // Every attempt timed out, with the backoff between them: the longest a first call takes.
    const config = loadPaymentConfig({ PROFILE: 'embedded' });
    const attempts = config.PROVIDER_MAX_ATTEMPTS;
    const longestFirstCall =
      attempts * config.PROVIDER_TIMEOUT_MS + (attempts - 1) * config.PROVIDER_RETRY_MAX_DELAY_MS;
    expect(longestFirstCall).toBeLessThan(8000);
    expect(firstCallBudgetMs(config)).toBeGreaterThan(longestFirstCall);
  });

  it('when the embedded profile starts with no other variable, then it serves and is ready', async () => {
    const service = await listenOnEphemeralPort(
      await createApp(loadPaymentConfig({ PROFILE: 'embedded', LOG_LEVEL: 'silent' })),
    );
    try {
      expect((await fetch(`${service.baseUrl}/readyz`)).status).toBe(200);
    } finally {
      await service.close();
    }
  });
});

describe('payment configuration in the production profile: no server has a default', () => {
  const own = {
    PROFILE: 'production',
    CASSANDRA_CONTACT_POINTS: 'cassandra:9042',
    KAFKA_BROKERS: 'kafka:9092',
  };

  it('when each is named, then the configuration loads', () => {
    expect(loadPaymentConfig(own).CASSANDRA_CONTACT_POINTS).toBe('cassandra:9042');
  });

  it.each(['CASSANDRA_CONTACT_POINTS', 'KAFKA_BROKERS'])(
    'when %s is unset, then loading fails naming it',
    (name) => {
      expect(() => loadPaymentConfig({ ...own, [name]: undefined })).toThrow(
        new RegExp(`${name}: required in the production profile`),
      );
    },
  );
});
