import { connectionEnv, formatShellExports } from './connection-env.ts';

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
    ])
      delete process.env[name];
    expect(connectionEnv()).toEqual({
      KAFKA_BROKERS: '127.0.0.1:9092',
      MONGO_URL: 'mongodb://127.0.0.1:27017',
      CASSANDRA_CONTACT_POINTS: '127.0.0.1:9042',
      REDIS_URL: 'redis://127.0.0.1:6379',
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318',
      JAEGER_QUERY_URL: 'http://127.0.0.1:16686',
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
