import { MongoClient } from 'mongodb';
import { topics } from '@platform/contracts';
import { requireInfrastructure } from '@platform/testing';
import { jaegerQueryUrl } from './connection';
import { deadLetterTopics, InvariantChecker } from './invariants';
import { KafkaWire } from './kafka-wire';
import { startPlatform, type Platform, type PlatformSettings, type ServiceName } from './platform';
import { ProviderSimulator } from './provider-simulator';
import { Shop } from './shop';

const recordedTopics = [
  topics.ordersEvents,
  topics.inventoryCommands,
  topics.inventoryEvents,
  topics.paymentsCommands,
  topics.paymentsEvents,
  ...deadLetterTopics,
];
const mongoUrl = process.env['MONGO_URL'] ?? 'mongodb://127.0.0.1:27017';

/** What a suite's tests use; filled in by its beforeAll. */
export interface PlatformSuite {
  platform: Platform;
  mongo: MongoClient;
  shop: Shop;
  wire: KafkaWire;
  provider: ProviderSimulator;
  invariants: InvariantChecker;
}

/**
 * Starts the whole platform for the enclosing describe block (and stops it after), with a Kafka
 * recorder on every order-related topic and its dead-letter topics, from before the first order.
 */
export function usePlatform(
  /** Or, for settings only known once the run starts (a proxy's address), a function giving them. */
  settings: PlatformSettings | (() => Promise<PlatformSettings>) = {},
  twoInstancesOf: readonly ServiceName[] = [],
): PlatformSuite {
  const suite = {} as PlatformSuite;
  const mongo = new MongoClient(mongoUrl);
  const wire = new KafkaWire();

  beforeAll(async () => {
    await requireInfrastructure(`Jaeger at ${jaegerQueryUrl}`, () => fetch(`${jaegerQueryUrl}/api/services`));
    await requireInfrastructure(`MongoDB at ${mongoUrl}`, () => mongo.connect());
    await requireInfrastructure('Kafka', () => wire.connect());
    const platform = await startPlatform(
      typeof settings === 'function' ? await settings() : settings,
      twoInstancesOf,
    );
    // After the start: the services declare the topics. Recorded from their beginning, nothing is missed.
    await wire.record(recordedTopics);
    const shop = new Shop(platform.gatewayUrl, platform.run);
    Object.assign(suite, {
      platform,
      mongo,
      shop,
      wire,
      provider: new ProviderSimulator(platform.providerUrl),
      invariants: new InvariantChecker(platform, shop, mongo, wire, recordedTopics),
    });
  }, 240_000);

  afterAll(async () => {
    await suite.platform?.stop();
    await wire.close();
    await mongo.close();
  }, 120_000);

  return suite;
}
