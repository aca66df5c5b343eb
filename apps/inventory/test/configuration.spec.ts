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
