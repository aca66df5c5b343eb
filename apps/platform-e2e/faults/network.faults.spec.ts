import { setTimeout as delay } from 'node:timers/promises';
import { requireInfrastructure, Toxiproxy } from '@platform/testing';
import type { PlatformSettings, ServiceName } from '../test/platform';
import { usePlatform } from '../test/platform-suite';
import { runUnderLoad, stockTheShop, type Catalogue } from './fault-run';

/**
 * Scenario 4 of the fault suite: the network between the services and each of Kafka, MongoDB,
 * Cassandra and Redis goes bad under a steady stream of orders. Every service reaches them through
 * Toxiproxy (`npm run infra:up` starts it with one proxy per server; Kafka's proxied listener
 * advertises the proxy, so no client goes around it), while the invariant checker reads the
 * servers directly. For each server, in turn: latency while orders are confirmed, then every
 * connection reset for a while, then a partition (connections stay open, nothing gets through)
 * for a while; then orders are confirmed again and every order ends with the invariants kept.
 * How long a reset or a partition lasts is part of the fault; nothing waits a fixed time for
 * the platform.
 */
jest.setTimeout(600_000);

const toxiproxy = new Toxiproxy();
/** Each way: a round trip 40 ± 20 ms longer. See docs/testing.md for what 100 ms does. */
const latencyMs = 20;
const resetSeconds = 5;
const partitionSeconds = 10;

/** Every service but the provider simulator (it uses none of them) reaches the servers through the proxies. */
async function throughTheProxies(): Promise<PlatformSettings> {
  await requireInfrastructure(`Toxiproxy at ${toxiproxy.url}`, () => toxiproxy.reset());
  const proxies = await toxiproxy.proxies();
  const listen = (name: string) => {
    const proxy = proxies[name];
    if (!proxy) throw new Error(`Toxiproxy has no proxy named ${name}: npm run infra:up starts it with one`);
    return proxy.listen;
  };
  const env = {
    KAFKA_BROKERS: listen('kafka'),
    MONGO_URL: `mongodb://${listen('mongo')}`,
    CASSANDRA_CONTACT_POINTS: listen('cassandra'),
    REDIS_URL: `redis://${listen('redis')}`,
  };
  const services: ServiceName[] = ['auth', 'inventory', 'notification', 'payment', 'order', 'gateway'];
  return Object.fromEntries(services.map((name) => [name, env]));
}

describe('fault suite: network faults between the services and the servers', () => {
  const suite = usePlatform(throughTheProxies);
  let catalogue: Catalogue;

  beforeAll(async () => {
    catalogue = await stockTheShop(suite);
  });
  afterEach(() => toxiproxy.reset());

  it.each<[proxy: string, server: string, seed: number]>([
    ['kafka', 'Kafka', 401],
    ['mongo', 'MongoDB', 402],
    ['cassandra', 'Cassandra', 403],
    ['redis', 'Redis', 404],
  ])(
    'when the network to %s is slow, then resets connections, then is partitioned, under load, then every order ends and no invariant breaks',
    async (proxy, server, seed) => {
      const figures = await runUnderLoad(
        `network to ${server}: latency, resets, partition`,
        { suite, catalogue, seed },
        async ({ confirmedFromNow }) => {
          await toxiproxy.withToxic(
            proxy,
            'latency',
            { type: 'latency', attributes: { latency: latencyMs, jitter: latencyMs / 2 } },
            () => confirmedFromNow(4),
          );
          await toxiproxy.withToxic(proxy, 'resets', { type: 'reset_peer', attributes: { timeout: 0 } }, () =>
            delay(resetSeconds * 1000),
          );
          await toxiproxy.withToxic(proxy, 'partition', { type: 'timeout', attributes: { timeout: 0 } }, () =>
            delay(partitionSeconds * 1000),
          );
        },
      );
      expect(figures.violations).toEqual([]);
    },
  );
});
