import { ConfigError } from '@platform/config';
import { loadInventoryConfig } from '../src';

describe('inventory configuration', () => {
  it('when nothing is set in the local profile, then the local servers and port 3004 are used', () => {
    const config = loadInventoryConfig({});
    expect(config).toMatchObject({
      PORT: 3004,
      PROFILE: 'local',
      MONGO_URL: 'mongodb://127.0.0.1:27017',
      MONGO_DATABASE: 'inventory',
      REDIS_URL: 'redis://127.0.0.1:6379',
      KAFKA_BROKERS: '127.0.0.1:9092',
      KAFKA_TOPIC_PARTITIONS: 3,
      KAFKA_CONSUMER_GROUP: 'inventory',
      PRODUCT_CACHE_TTL_SECONDS: 5,
      AUTH_URL: 'http://127.0.0.1:3001',
    });
  });

  it('when the compose profile lacks its servers, then loading fails naming each variable', () => {
    expect(() => loadInventoryConfig({ PROFILE: 'compose' })).toThrow(ConfigError);
    expect(() => loadInventoryConfig({ PROFILE: 'compose' })).toThrow(
      /MONGO_URL[\s\S]*REDIS_URL[\s\S]*KAFKA_BROKERS/,
    );
  });

  it('when the embedded profile is chosen, then no server is required', () => {
    expect(loadInventoryConfig({ PROFILE: 'embedded' }).MONGO_URL).toBeUndefined();
  });

  it.each([
    ['PRODUCT_CACHE_TTL_SECONDS', '0'],
    ['KAFKA_TOPIC_PARTITIONS', 'many'],
    ['AUTH_URL', 'not a url'],
  ])('when %s is %p, then loading fails naming it', (name, value) => {
    expect(() => loadInventoryConfig({ [name]: value })).toThrow(new RegExp(name));
  });
});

describe('inventory configuration in the production profile: no server, and so no credential, has a default', () => {
  const own = {
    PROFILE: 'production',
    MONGO_URL: 'mongodb://inventory:from-the-vault@mongo:27017',
    REDIS_URL: 'redis://:from-the-vault@redis:6379',
    KAFKA_BROKERS: 'kafka:9092',
  };

  it('when each is named, then the configuration loads', () => {
    expect(loadInventoryConfig(own).MONGO_URL).toBe(own.MONGO_URL);
  });

  it.each(['MONGO_URL', 'REDIS_URL', 'KAFKA_BROKERS'])(
    'when %s is unset, then loading fails naming it',
    (name) => {
      expect(() => loadInventoryConfig({ ...own, [name]: undefined })).toThrow(
        new RegExp(`${name}: required in the production profile`),
      );
    },
  );
});
