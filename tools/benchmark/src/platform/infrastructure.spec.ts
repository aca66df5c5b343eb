import { createServer, type Server } from 'node:net';
import { infraTargetsOf, requireInfrastructure } from './infrastructure.ts';

describe('infraTargetsOf', () => {
  it('when nothing is configured, then the local profile defaults are used', () => {
    expect(infraTargetsOf({}, ['kafka', 'mongo', 'redis', 'cassandra', 'jaeger'])).toEqual([
      { server: 'kafka', variable: 'KAFKA_BROKERS', host: '127.0.0.1', port: 9092 },
      { server: 'mongo', variable: 'MONGO_URL', host: '127.0.0.1', port: 27017 },
      { server: 'redis', variable: 'REDIS_URL', host: '127.0.0.1', port: 6379 },
      { server: 'cassandra', variable: 'CASSANDRA_CONTACT_POINTS', host: '127.0.0.1', port: 9042 },
      { server: 'jaeger', variable: 'OTEL_EXPORTER_OTLP_ENDPOINT', host: '127.0.0.1', port: 4318 },
    ]);
  });

  it('when the variables are set, then the first listed server of each is checked', () => {
    const env = {
      KAFKA_BROKERS: 'k1:19092,k2:19092',
      MONGO_URL: 'mongodb://db.local/?replicaSet=x',
      REDIS_URL: 'redis://:secret@cache:6380/0',
      CASSANDRA_CONTACT_POINTS: '',
    };
    expect(infraTargetsOf(env, ['kafka', 'mongo', 'redis', 'cassandra'])).toEqual([
      { server: 'kafka', variable: 'KAFKA_BROKERS', host: 'k1', port: 19092 },
      { server: 'mongo', variable: 'MONGO_URL', host: 'db.local', port: 27017 },
      { server: 'redis', variable: 'REDIS_URL', host: 'cache', port: 6380 },
      { server: 'cassandra', variable: 'CASSANDRA_CONTACT_POINTS', host: '127.0.0.1', port: 9042 },
    ]);
  });
});

describe('requireInfrastructure', () => {
  let listening: Server;
  let openPort: number;
  let closedPort: number;
  beforeAll(async () => {
    listening = createServer((socket) => socket.end()).listen(0, '127.0.0.1');
    await new Promise((resolve) => listening.once('listening', resolve));
    openPort = (listening.address() as { port: number }).port;
    const closed = createServer().listen(0, '127.0.0.1');
    await new Promise((resolve) => closed.once('listening', resolve));
    closedPort = (closed.address() as { port: number }).port;
    await new Promise((resolve) => closed.close(resolve));
  });
  afterAll(() => new Promise((resolve) => listening.close(resolve)));

  it('when every server accepts a connection, then it passes', async () => {
    await expect(
      requireInfrastructure([{ server: 'redis', variable: 'REDIS_URL', host: '127.0.0.1', port: openPort }]),
    ).resolves.toBeUndefined();
  });

  it('when a server refuses, then the error names it and says to run infra:up', async () => {
    const targets = [
      { server: 'redis' as const, variable: 'REDIS_URL', host: '127.0.0.1', port: openPort },
      { server: 'kafka' as const, variable: 'KAFKA_BROKERS', host: '127.0.0.1', port: closedPort },
    ];
    await expect(requireInfrastructure(targets)).rejects.toThrow(
      new RegExp(
        `not reachable: kafka at 127\\.0\\.0\\.1:${closedPort} \\(KAFKA_BROKERS\\)\\.[\\s\\S]*npm run infra:up`,
      ),
    );
  });
});
