import { z } from 'zod';
import { ConfigError, env, kafkaTopicEnv, parseConfig, requireOutsideEmbedded } from './parse-config';

const schema = z.object({
  PORT: env.port(8080),
  LOG_LEVEL: env.logLevel(),
  LOG_FORMAT: env.logFormat(),
  OTEL_EXPORTER_OTLP_ENDPOINT: env.optionalUrl(),
});

describe('parseConfig', () => {
  it('when variables are absent in the embedded profile, then the schema defaults apply and nothing is exported', () => {
    expect(parseConfig(schema, { PROFILE: 'embedded' }, 'gateway')).toEqual({
      PORT: 8080,
      LOG_LEVEL: 'info',
      LOG_FORMAT: undefined,
      OTEL_EXPORTER_OTLP_ENDPOINT: undefined,
    });
  });

  it('when variables are absent in the local profile, then the local servers are the defaults', () => {
    expect(parseConfig(schema, {}, 'gateway').OTEL_EXPORTER_OTLP_ENDPOINT).toBe('http://127.0.0.1:4318');
    expect(
      parseConfig(schema, { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' }, 'gateway')
        .OTEL_EXPORTER_OTLP_ENDPOINT,
    ).toBe('http://collector:4318');
  });

  it('when variables are set, then they are coerced to their types', () => {
    expect(
      parseConfig(
        schema,
        { PORT: '9000', LOG_FORMAT: 'json', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318' },
        'gateway',
      ),
    ).toMatchObject({
      PORT: 9000,
      LOG_FORMAT: 'json',
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318',
    });
  });

  it('when values are wrong, then the error names the app and every offending variable', () => {
    const parse = () =>
      parseConfig(
        schema,
        { PORT: 'eighty', LOG_LEVEL: 'loud', LOG_FORMAT: 'xml', OTEL_EXPORTER_OTLP_ENDPOINT: 'not a url' },
        'gateway',
      );
    expect(parse).toThrow(ConfigError);
    expect(parse).toThrow(/gateway: invalid configuration/);
    expect(parse).toThrow(/PORT:/);
    expect(parse).toThrow(/LOG_LEVEL:/);
    expect(parse).toThrow(/LOG_FORMAT:/);
    expect(parse).toThrow(/OTEL_EXPORTER_OTLP_ENDPOINT:/);
  });
});

describe('requireOutsideEmbedded', () => {
  const schema = z
    .object({ PROFILE: env.profile(), MONGO_URL: env.optionalString(), KAFKA_BROKERS: env.optionalString() })
    .superRefine((config, context) =>
      requireOutsideEmbedded(config, context, ['MONGO_URL', 'KAFKA_BROKERS']),
    );

  it('when a server variable is unset or empty outside the embedded profile, then the error names it and the profile', () => {
    const parse = () => parseConfig(schema, { PROFILE: 'compose', MONGO_URL: '' }, 'order');
    expect(parse).toThrow(/MONGO_URL: required in the compose profile/);
    expect(parse).toThrow(/KAFKA_BROKERS: required in the compose profile/);
  });

  it('when the profile is embedded, then no server variable is needed', () => {
    expect(parseConfig(schema, { PROFILE: 'embedded' }, 'order')).toEqual({ PROFILE: 'embedded' });
  });
});

describe('kafkaTopicEnv', () => {
  const schema = z.object(kafkaTopicEnv);

  it('when unset, then topics get 3 partitions of 1 copy (one local broker)', () => {
    expect(parseConfig(schema, {}, 'order')).toEqual({
      KAFKA_TOPIC_PARTITIONS: 3,
      KAFKA_TOPIC_REPLICATION_FACTOR: 1,
    });
  });

  it('when set, then they are read; a replication factor of 0 is refused by name', () => {
    expect(
      parseConfig(schema, { KAFKA_TOPIC_PARTITIONS: '12', KAFKA_TOPIC_REPLICATION_FACTOR: '3' }, 'order'),
    ).toEqual({ KAFKA_TOPIC_PARTITIONS: 12, KAFKA_TOPIC_REPLICATION_FACTOR: 3 });
    expect(() => parseConfig(schema, { KAFKA_TOPIC_REPLICATION_FACTOR: '0' }, 'order')).toThrow(
      /KAFKA_TOPIC_REPLICATION_FACTOR:/,
    );
  });
});

describe('env.urls', () => {
  const schema = z.object({ UPSTREAM_URL: env.urls('http://127.0.0.1:3004') });

  it('when given one URL or several separated by commas, then it is kept as written; unset, the default', () => {
    expect(parseConfig(schema, {}, 'order').UPSTREAM_URL).toBe('http://127.0.0.1:3004');
    expect(parseConfig(schema, { UPSTREAM_URL: 'http://a:1, http://b:2' }, 'order').UPSTREAM_URL).toBe(
      'http://a:1, http://b:2',
    );
  });

  it('when one of the list is not a URL, then the error names the variable', () => {
    expect(() => parseConfig(schema, { UPSTREAM_URL: 'http://a:1,b' }, 'order')).toThrow(/UPSTREAM_URL:/);
  });
});
