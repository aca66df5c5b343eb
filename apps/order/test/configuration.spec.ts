import { ConfigError } from '@platform/config';
import { listenOnEphemeralPort } from '@platform/testing';
import { createApp, loadOrderConfig } from '../src';

describe('order configuration', () => {
  it('when nothing is set in the local profile, then the local servers, port 3002 and the documented deadlines are used', () => {
    expect(loadOrderConfig({})).toMatchObject({
      PORT: 3002,
      PROFILE: 'local',
      MONGO_URL: 'mongodb://127.0.0.1:27017',
      MONGO_DATABASE: 'order',
      REDIS_URL: 'redis://127.0.0.1:6379',
      KAFKA_BROKERS: '127.0.0.1:9092',
      KAFKA_CONSUMER_GROUP: 'order',
      KAFKA_AUTO_OFFSET_RESET: 'earliest',
      INVENTORY_URL: 'http://127.0.0.1:3004',
      AUTH_URL: 'http://127.0.0.1:3001',
      ORDER_STOCK_TIMEOUT_MS: 30_000,
      ORDER_PAYMENT_TIMEOUT_MS: 8000,
      ORDER_COMPENSATION_TIMEOUT_MS: 10_000,
      ORDER_SAGA_TICK_MS: 1000,
      ORDER_EVENTS_POLL_MS: 5000,
    });
  });

  it('when the compose profile lacks its servers, then loading fails naming each variable', () => {
    expect(() => loadOrderConfig({ PROFILE: 'compose' })).toThrow(ConfigError);
    expect(() => loadOrderConfig({ PROFILE: 'compose' })).toThrow(
      /MONGO_URL[\s\S]*REDIS_URL[\s\S]*KAFKA_BROKERS/,
    );
  });

  it('when the embedded profile is chosen with nothing else, then no server is required', () => {
    const config = loadOrderConfig({ PROFILE: 'embedded' });
    expect(config.MONGO_URL).toBeUndefined();
    expect(config.INVENTORY_URL).toBe('http://127.0.0.1:3004');
  });

  it('when the embedded profile starts with no other variable, then the service is live and ready', async () => {
    const running = await listenOnEphemeralPort(
      await createApp(loadOrderConfig({ PROFILE: 'embedded', LOG_LEVEL: 'silent' })),
    );
    try {
      expect((await fetch(`${running.baseUrl}/healthz`)).status).toBe(200);
      expect((await fetch(`${running.baseUrl}/readyz`)).status).toBe(200);
      expect((await fetch(`${running.baseUrl}/openapi.json`)).status).toBe(200);
    } finally {
      await running.close();
    }
  });

  it.each([
    ['ORDER_PAYMENT_TIMEOUT_MS', '0'],
    ['ORDER_SAGA_TICK_MS', 'often'],
    ['KAFKA_AUTO_OFFSET_RESET', 'newest'],
    ['INVENTORY_URL', 'inventory'],
    ['AUTH_URL', 'not a url'],
  ])('when %s is %p, then loading fails naming it', (name, value) => {
    expect(() => loadOrderConfig({ [name]: value })).toThrow(new RegExp(name));
  });
});

describe('order configuration in the production profile: no server, and so no credential, has a default', () => {
  const own = {
    PROFILE: 'production',
    MONGO_URL: 'mongodb://order:from-the-vault@mongo:27017',
    REDIS_URL: 'redis://:from-the-vault@redis:6379',
    KAFKA_BROKERS: 'kafka:9092',
  };

  it('when each is named, then the configuration loads', () => {
    expect(loadOrderConfig(own).MONGO_URL).toBe(own.MONGO_URL);
  });

  it.each(['MONGO_URL', 'REDIS_URL', 'KAFKA_BROKERS'])(
    'when %s is unset, then loading fails naming it',
    (name) => {
      expect(() => loadOrderConfig({ ...own, [name]: undefined })).toThrow(
        new RegExp(`${name}: required in the production profile`),
      );
    },
  );
});
