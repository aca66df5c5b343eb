import { Client } from 'cassandra-driver';
import Redis from 'ioredis';
import { Kafka, logLevel } from 'kafkajs';
import { MongoClient } from 'mongodb';
import { eventually, requireInfrastructure, Toxiproxy } from '@platform/testing';
import { connectionEnvViaToxiproxy, infraPort } from '../src/connection-env.ts';
import { connection, uniqueName } from './connection.ts';

/**
 * Toxiproxy in front of each server, as the fault suite's network faults use it: every client
 * reaches its server through the proxy and stays behind it (Kafka's metadata names the proxy, the
 * Cassandra driver knows no other host), and a toxic or a disabled proxy reaches the client.
 */
describe('Toxiproxy between the clients and the servers', () => {
  jest.setTimeout(90_000);
  const via = connectionEnvViaToxiproxy();
  const toxiproxy = new Toxiproxy(connection.TOXIPROXY_URL);

  beforeAll(async () => {
    await requireInfrastructure(`Toxiproxy at ${toxiproxy.url}`, () => toxiproxy.reset());
  });
  afterEach(() => toxiproxy.reset());

  it('when the proxies are listed, then one stands in front of each of Kafka, MongoDB, Cassandra and Redis', async () => {
    expect(Object.keys(await toxiproxy.proxies()).sort()).toEqual(['cassandra', 'kafka', 'mongo', 'redis']);
  });

  describe('Kafka', () => {
    const kafka = new Kafka({
      clientId: 'toxiproxy-test',
      brokers: [via['KAFKA_BROKERS'] as string],
      logLevel: logLevel.NOTHING,
      retry: { retries: 2 },
    });
    const admin = kafka.admin();
    beforeAll(() => admin.connect());
    afterAll(() => admin.disconnect());

    it('when a client bootstraps through the proxy, then the broker it is told of is the proxy, and a message goes through it', async () => {
      const cluster = await admin.describeCluster();
      expect(cluster.brokers.map(({ host, port }) => `${host}:${port}`)).toEqual([
        `127.0.0.1:${infraPort('KAFKA_VIA_TOXIPROXY_PORT')}`,
      ]);
      const topic = uniqueName('toxiproxy');
      await admin.createTopics({ topics: [{ topic, numPartitions: 1 }] });
      // A busy broker can answer 'does not host this topic-partition' for a while after creating a
      // topic (kafkajs' own wait for leaders gives up on that): wait until the metadata names a leader.
      await eventually(async () => {
        const { topics } = await admin.fetchTopicMetadata({ topics: [topic] });
        return (topics[0]?.partitions[0]?.leader ?? -1) >= 0 ? true : undefined;
      }, 60_000);
      const producer = kafka.producer();
      await producer.connect();
      try {
        const [sent] = await producer.send({ topic, messages: [{ value: 'through the proxy' }] });
        expect(sent?.errorCode).toBe(0);
      } finally {
        await producer.disconnect();
      }
    });

    it('when the proxy is disabled, then a new client cannot reach the broker; enabled again, it can', async () => {
      const fresh = () =>
        new Kafka({
          clientId: 'toxiproxy-test-cut',
          brokers: [via['KAFKA_BROKERS'] as string],
          logLevel: logLevel.NOTHING,
          connectionTimeout: 1000,
          retry: { retries: 0 },
        }).admin();
      await toxiproxy.setEnabled('kafka', false);
      const cut = fresh();
      await expect(cut.connect()).rejects.toThrow();
      await toxiproxy.setEnabled('kafka', true);
      const restored = fresh();
      await restored.connect();
      await restored.disconnect();
    });
  });

  describe('MongoDB', () => {
    it('when a latency of 400 ms is added each way, then a ping through the proxy takes at least that', async () => {
      const client = new MongoClient(via['MONGO_URL'] as string, { serverSelectionTimeoutMS: 10_000 });
      await client.connect();
      try {
        await toxiproxy.withToxic(
          'mongo',
          'slow',
          { type: 'latency', attributes: { latency: 400 } },
          async () => {
            const started = performance.now();
            await client.db('admin').command({ ping: 1 });
            // A lower bound only: the toxic delays each direction by 400 ms.
            expect(performance.now() - started).toBeGreaterThanOrEqual(700);
          },
        );
      } finally {
        await client.close();
      }
    });
  });

  describe('Cassandra', () => {
    it('when the driver connects through the proxy, then every host it knows is the proxy, and a query answers', async () => {
      const client = new Client({
        contactPoints: [via['CASSANDRA_CONTACT_POINTS'] as string],
        localDataCenter: 'datacenter1',
        socketOptions: { connectTimeout: 5000, readTimeout: 20_000 },
      });
      await client.connect();
      try {
        const result = await client.execute('SELECT release_version FROM system.local');
        expect(result.first()?.['release_version']).toMatch(/^5\./);
        expect(
          client
            .getState()
            .getConnectedHosts()
            .map((host) => host.address),
        ).toEqual([`127.0.0.1:${infraPort('CASSANDRA_VIA_TOXIPROXY_PORT')}`]);
      } finally {
        await client.shutdown();
      }
    }, 60_000);
  });

  describe('Redis', () => {
    it('when connections are reset, then a command fails; once the toxic is gone, the client reconnects and answers', async () => {
      const redis = new Redis(via['REDIS_URL'] as string, { maxRetriesPerRequest: 0 });
      try {
        expect(await redis.ping()).toBe('PONG');
        await toxiproxy.withToxic(
          'redis',
          'reset',
          { type: 'reset_peer', attributes: { timeout: 0 } },
          async () => {
            await expect(redis.ping()).rejects.toThrow();
          },
        );
        expect(await eventually(() => redis.ping().catch(() => undefined), 30_000, 100)).toBe('PONG');
      } finally {
        redis.disconnect();
      }
    });
  });
});
