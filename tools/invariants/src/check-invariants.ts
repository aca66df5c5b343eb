import { Client as CassandraClient } from 'cassandra-driver';
import { MongoClient } from 'mongodb';
import { readLags, readDeadLetters } from './readers/kafka.ts';
import {
  notificationColumns,
  notificationsOf,
  outboxColumns,
  paymentColumns,
  paymentOutboxOf,
  paymentsOf,
  readTable,
  type TableRows,
} from './readers/cassandra.ts';
import { readMongoOutbox, readOrders, readStocks } from './readers/mongo.ts';
import { readCharges } from './readers/provider.ts';
import { evaluate, type InvariantReport, type PlatformFacts, type Read } from './report.ts';
import { connectAdmin, connectionEnv, kafkaOf, messageOf } from './sibling-tools.ts';

/** Where the stores of one platform are: its database and keyspace names (those of apps/platform-e2e's RunStores). */
export interface PlatformStores {
  /** Only its outbox is read (the users' UserRegistered events). */
  authDatabase: string;
  inventoryDatabase: string;
  orderDatabase: string;
  paymentKeyspace: string;
  notificationKeyspace: string;
}

/** What to read, and where. */
export interface Connections {
  mongoUrl: string;
  kafkaBrokers: string[];
  /** `host:port,host:port`, as CASSANDRA_CONTACT_POINTS is written. */
  cassandraContactPoints: string;
  cassandraDataCenter: string;
  /** The payment provider (simulator) whose `GET /v1/charges` lists every charge. */
  providerUrl: string;
  stores: PlatformStores;
  /** Consumer groups whose lag must be 0. */
  groups: string[];
  /** Dead-letter topics to read; every `*.dlq` topic when absent. */
  deadLetterTopics?: string[];
  /** How long past its deadline an order may stay non-final, and an outbox event unpublished (default 10 s). */
  graceMs?: number;
  /** Epoch ms now; for tests. */
  now?: () => number;
}

export const defaultGraceMs = 10_000;

/**
 * The local profile's servers (tools/infra's connection variables, each overridable by its
 * environment variable) and the services' default database, keyspace and group names (each
 * service's config.ts).
 */
export function localConnections(env: Record<string, string | undefined> = process.env): Connections {
  const local = connectionEnv();
  const variable = (name: string) => env[name] || local[name] || '';
  return {
    mongoUrl: variable('MONGO_URL'),
    kafkaBrokers: variable('KAFKA_BROKERS')
      .split(',')
      .map((broker) => broker.trim())
      .filter((broker) => broker !== ''),
    cassandraContactPoints: variable('CASSANDRA_CONTACT_POINTS'),
    cassandraDataCenter: env['CASSANDRA_LOCAL_DATA_CENTER'] || 'datacenter1',
    providerUrl: env['PROVIDER_URL'] || 'http://127.0.0.1:3006',
    stores: {
      authDatabase: 'auth',
      inventoryDatabase: 'inventory',
      orderDatabase: 'order',
      paymentKeyspace: 'payment',
      notificationKeyspace: 'notification',
    },
    groups: ['inventory', 'order', 'payment', 'notification'],
  };
}

/**
 * Reads everything in the platform's stores and checks every invariant against it. Notifications
 * are read before the orders, the orders before the rest: an outcome's notification, charge and
 * stock change happen after the saga decided it, so nothing read later is older than the order
 * that caused it. On a platform still at work, a check may see a change half done; run it once the
 * platform is quiet (or call it until it passes). A source that cannot be read leaves the
 * invariants that need it `unchecked`; it never throws for that.
 */
export async function checkInvariants(connections: Connections): Promise<InvariantReport> {
  const notes: string[] = [];
  const mongo = new MongoClient(connections.mongoUrl, {
    appName: 'invariants',
    serverSelectionTimeoutMS: 3000,
    connectTimeoutMS: 3000,
    socketTimeoutMS: 30_000,
  });
  const cassandra = new CassandraClient({
    contactPoints: connections.cassandraContactPoints
      .split(',')
      .map((point) => point.trim())
      .filter((point) => point !== ''),
    localDataCenter: connections.cassandraDataCenter,
    socketOptions: { connectTimeout: 3000, readTimeout: 30_000 },
  });
  const { stores } = connections;
  // Connected once, up front: a server that does not answer fails each of its reads with one short reason.
  const [mongoUp, cassandraUp] = await Promise.all([
    reachable(`MongoDB at ${connections.mongoUrl}`, () => mongo.connect()),
    reachable(`Cassandra at ${connections.cassandraContactPoints}`, () => cassandra.connect()),
  ]);
  const fromMongo = <T>(read: () => Promise<T>) => (mongoUp.ok ? attempt(read) : Promise.resolve(mongoUp));
  const table = async (keyspace: string, name: string, columns: string) => {
    if (!cassandraUp.ok) throw new Error(cassandraUp.error);
    const read: TableRows = await readTable(cassandra, keyspace, name, columns);
    if ('rows' in read) return read.rows;
    notes.push(`${read.missing} does not exist: read as empty`);
    return [];
  };
  try {
    const notifications = await attempt(async () =>
      notificationsOf(await table(stores.notificationKeyspace, 'notifications', notificationColumns)),
    );
    const orders = await fromMongo(() => readOrders(mongo.db(stores.orderDatabase)));
    const [stocks, charges, payments, mongoOutbox, paymentOutbox, kafka] = await Promise.all([
      fromMongo(() => readStocks(mongo.db(stores.inventoryDatabase))),
      attempt(() => readCharges(connections.providerUrl)),
      attempt(async () => paymentsOf(await table(stores.paymentKeyspace, 'payments', paymentColumns))),
      fromMongo(() =>
        readMongoOutbox(
          [stores.authDatabase, stores.inventoryDatabase, stores.orderDatabase].map((name) => mongo.db(name)),
        ),
      ),
      attempt(async () =>
        paymentOutboxOf(
          `${stores.paymentKeyspace}.payment_outbox`,
          await table(stores.paymentKeyspace, 'payment_outbox', outboxColumns),
        ),
      ),
      readKafka(connections),
    ]);
    const outbox: PlatformFacts['outbox'] =
      mongoOutbox.ok && paymentOutbox.ok
        ? { ok: true, value: [...mongoOutbox.value, ...paymentOutbox.value] }
        : { ok: false, error: errorsOf([mongoOutbox, paymentOutbox]) };
    notes.push(...kafka.notes);
    const facts: PlatformFacts = {
      stocks,
      orders,
      charges,
      payments,
      notifications,
      outbox,
      deadLetters: kafka.deadLetters,
      lags: kafka.lags,
      notes,
    };
    return evaluate(facts, {
      now: (connections.now ?? Date.now)(),
      graceMs: connections.graceMs ?? defaultGraceMs,
    });
  } finally {
    await Promise.allSettled([mongo.close(), cassandra.shutdown()]);
  }
}

async function readKafka(connections: Connections): Promise<{
  deadLetters: PlatformFacts['deadLetters'];
  lags: PlatformFacts['lags'];
  notes: string[];
}> {
  const kafka = kafkaOf(connections.kafkaBrokers);
  let admin;
  try {
    admin = await connectAdmin(kafka, connections.kafkaBrokers);
  } catch (error) {
    const failed = { ok: false as const, error: messageOf(error) };
    return { deadLetters: failed, lags: failed, notes: [] };
  }
  try {
    const connected = admin;
    const deadLetters = await attempt(() => readDeadLetters(kafka, connected, connections.deadLetterTopics));
    const lags = await attempt(() => readLags(connected, connections.groups));
    return {
      deadLetters: deadLetters.ok ? { ok: true, value: deadLetters.value.letters } : deadLetters,
      lags: lags.ok ? { ok: true, value: lags.value.lags } : lags,
      notes: [...(deadLetters.ok ? deadLetters.value.notes : []), ...(lags.ok ? lags.value.notes : [])],
    };
  } finally {
    await admin.disconnect();
  }
}

/** Resolves whether `connect` succeeded; its failure reads "cannot reach <what>: <first reason>". */
async function reachable(what: string, connect: () => Promise<unknown>): Promise<Read<undefined>> {
  try {
    await connect();
    return { ok: true, value: undefined };
  } catch (error) {
    const inner = (error as { innerErrors?: Record<string, unknown> }).innerErrors;
    const first = inner ? Object.values(inner)[0] : undefined;
    return { ok: false, error: `cannot reach ${what}: ${messageOf(first ?? error)}` };
  }
}

function errorsOf(reads: readonly Read<unknown>[]): string {
  return reads.flatMap((read) => (read.ok ? [] : [read.error])).join('; ');
}

async function attempt<T>(read: () => Promise<T>): Promise<Read<T>> {
  try {
    return { ok: true, value: await read() };
  } catch (error) {
    return { ok: false, error: messageOf(error) };
  }
}
