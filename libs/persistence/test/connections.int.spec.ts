import { once } from 'node:events';
import { createServer, type Server } from 'node:net';
import { requireInfrastructure } from '@platform/testing';
import { createMongoClient, createRedisClient, mongoReadiness, redisReadiness } from '../src';

const redisUrl = process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379';
const mongoUrl = process.env['MONGO_URL'] ?? 'mongodb://127.0.0.1:27017';

describe('connections to the real servers', () => {
  it('when Redis answers, then its readiness check passes', async () => {
    const redis = createRedisClient(redisUrl, 'persistence-test');
    try {
      await requireInfrastructure(`Redis at ${redisUrl}`, () => once(redis, 'ready'));
      await expect(redisReadiness(redis).check()).resolves.toBeUndefined();
    } finally {
      redis.disconnect();
    }
  });

  it('when MongoDB answers, then its readiness check passes', async () => {
    const mongo = createMongoClient(mongoUrl, 'persistence-test');
    try {
      await requireInfrastructure(`MongoDB at ${mongoUrl}`, () => mongo.connect());
      await expect(mongoReadiness(mongo).check()).resolves.toBeUndefined();
    } finally {
      await mongo.close();
    }
  });
});

describe('connections to servers that do not answer', () => {
  let silent: Server;
  let port: number;
  beforeAll(async () => {
    // Accepts connections and never answers: a hung dependency.
    silent = createServer(() => undefined).listen(0, '127.0.0.1');
    await new Promise((resolve) => silent.once('listening', resolve));
    port = (silent.address() as { port: number }).port;
  });
  afterAll(() => new Promise((resolve) => silent.close(resolve)));

  it('when Redis hangs, then a command fails within seconds instead of waiting forever', async () => {
    const redis = createRedisClient(`redis://127.0.0.1:${port}`, 'persistence-test');
    try {
      await expect(redisReadiness(redis).check()).rejects.toThrow();
    } finally {
      redis.disconnect();
    }
  });

  it('when MongoDB is unreachable, then the readiness check fails within seconds', async () => {
    const mongo = createMongoClient('mongodb://127.0.0.1:1', 'persistence-test');
    try {
      await expect(mongoReadiness(mongo).check()).rejects.toThrow();
    } finally {
      await mongo.close();
    }
  });
});
