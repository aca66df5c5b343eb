import { connectionEnv, connectionEnvViaToxiproxy, formatShellExports } from './connection-env.ts';

describe('connectionEnv', () => {
  const saved = { ...process.env };
  afterEach(() => {
    process.env = { ...saved };
  });

  it('when no port variable is set, then it points at the usual local ports', () => {
    for (const name of [
      'REDIS_PORT',
      'KAFKA_PORT',
      'MONGO_PORT',
      'CASSANDRA_PORT',
      'JAEGER_OTLP_HTTP_PORT',
      'JAEGER_QUERY_PORT',
      'TOXIPROXY_PORT',
    ])
      delete process.env[name];
    expect(connectionEnv()).toEqual({
      KAFKA_BROKERS: '127.0.0.1:9092',
      MONGO_URL: 'mongodb://127.0.0.1:27017',
      CASSANDRA_CONTACT_POINTS: '127.0.0.1:9042',
      REDIS_URL: 'redis://127.0.0.1:6379',
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318',
      JAEGER_QUERY_URL: 'http://127.0.0.1:16686',
      TOXIPROXY_URL: 'http://127.0.0.1:8474',
    });
  });

  it('when the services go through Toxiproxy, then each server is reached at its proxy', () => {
    for (const name of [
      'KAFKA_VIA_TOXIPROXY_PORT',
      'MONGO_VIA_TOXIPROXY_PORT',
      'CASSANDRA_VIA_TOXIPROXY_PORT',
      'REDIS_VIA_TOXIPROXY_PORT',
    ])
      delete process.env[name];
    process.env['REDIS_VIA_TOXIPROXY_PORT'] = '16390';
    expect(connectionEnvViaToxiproxy()).toEqual({
      KAFKA_BROKERS: '127.0.0.1:19092',
      MONGO_URL: 'mongodb://127.0.0.1:37017',
      CASSANDRA_CONTACT_POINTS: '127.0.0.1:19042',
      REDIS_URL: 'redis://127.0.0.1:16390',
    });
  });

  it('when a port is moved, then the connection follows it', () => {
    process.env['REDIS_PORT'] = '6390';
    expect(connectionEnv()['REDIS_URL']).toBe('redis://127.0.0.1:6390');
  });

  it('when a port variable is not a port, then it throws naming the variable', () => {
    process.env['KAFKA_PORT'] = '70000';
    expect(() => connectionEnv()).toThrow(/KAFKA_PORT=70000 is not a TCP port/);
  });

  it('then it prints as shell exports', () => {
    expect(formatShellExports({ A: '1', B: 'x' })).toBe('export A=1\nexport B=x');
  });
});
