import { parseArgs } from 'node:util';
import { defaultGraceMs, localConnections, type Connections } from './check-invariants.ts';
import { keyspaceNamePattern } from './readers/cassandra.ts';

export const usage = `usage: npm run invariants -- [options]

Reads every store of a running platform (never its logs) and checks the invariants of
docs/events.md#invariants. One line per invariant; exit code 0 all hold, 1 one is violated,
2 a bad command line, 3 none violated but one could not be checked (a store unreachable).

servers (default: the local profile's, or MONGO_URL, KAFKA_BROKERS, CASSANDRA_CONTACT_POINTS, PROVIDER_URL):
  --mongo <url>                     MongoDB
  --kafka <host:port,...>           Kafka brokers
  --cassandra <host:port,...>       Cassandra contact points (CASSANDRA_LOCAL_DATA_CENTER, else datacenter1)
  --provider <url>                  the payment provider (simulator)
stores (default: the services' own defaults):
  --auth-db <name>                  auth (its outbox only)
  --inventory-db <name>             inventory
  --order-db <name>                 order
  --payment-keyspace <name>         payment
  --notification-keyspace <name>   notification
  --groups <a,b,...>                consumer groups whose lag must be 0 (inventory,order,payment,notification)
  --dlq-topics <t.dlq,...>          dead-letter topics to read (every *.dlq topic)
other:
  --grace-ms <n>                    how long an order may stay non-final past its deadline, and an
                                    outbox event unpublished (${defaultGraceMs})
  --json                            the whole report as JSON, every violation included
  --help`;

export type Invocation = { name: 'help' } | { name: 'check'; connections: Connections; json: boolean };

/** A mistake in the command line: printed with the usage, exit code 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

export function parseInvocation(argv: string[], env: Record<string, string | undefined>): Invocation {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      allowPositionals: false,
      options: {
        mongo: { type: 'string' },
        kafka: { type: 'string' },
        cassandra: { type: 'string' },
        provider: { type: 'string' },
        'auth-db': { type: 'string' },
        'inventory-db': { type: 'string' },
        'order-db': { type: 'string' },
        'payment-keyspace': { type: 'string' },
        'notification-keyspace': { type: 'string' },
        groups: { type: 'string' },
        'dlq-topics': { type: 'string' },
        'grace-ms': { type: 'string' },
        json: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    }));
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  if (values.help) return { name: 'help' };
  const local = localConnections(env);
  const connections: Connections = {
    ...local,
    mongoUrl: values.mongo ?? local.mongoUrl,
    kafkaBrokers: values.kafka === undefined ? local.kafkaBrokers : brokersOf(values.kafka),
    cassandraContactPoints: values.cassandra ?? local.cassandraContactPoints,
    providerUrl: urlOf(values.provider ?? local.providerUrl),
    stores: {
      authDatabase: values['auth-db'] ?? local.stores.authDatabase,
      inventoryDatabase: values['inventory-db'] ?? local.stores.inventoryDatabase,
      orderDatabase: values['order-db'] ?? local.stores.orderDatabase,
      paymentKeyspace: keyspaceOf(values['payment-keyspace'] ?? local.stores.paymentKeyspace),
      notificationKeyspace: keyspaceOf(values['notification-keyspace'] ?? local.stores.notificationKeyspace),
    },
    groups: values.groups === undefined ? local.groups : listOf('--groups', values.groups),
    graceMs: values['grace-ms'] === undefined ? defaultGraceMs : graceOf(values['grace-ms']),
  };
  if (values['dlq-topics'] !== undefined) {
    const topics = listOf('--dlq-topics', values['dlq-topics']);
    const other = topics.find((topic) => !topic.endsWith('.dlq'));
    if (other !== undefined) throw new UsageError(`"${other}" is not a dead-letter topic (*.dlq)`);
    connections.deadLetterTopics = topics;
  }
  return { name: 'check', connections, json: values.json };
}

function listOf(option: string, list: string): string[] {
  const items = list
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '');
  if (items.length === 0) throw new UsageError(`${option} needs at least one name`);
  return items;
}

function brokersOf(list: string): string[] {
  const brokers = listOf('--kafka', list);
  const invalid = brokers.find((broker) => !/^[^:\s]+:\d+$/.test(broker));
  if (invalid !== undefined) throw new UsageError(`"${invalid}" is not a broker (host:port)`);
  return brokers;
}

function urlOf(text: string): string {
  if (!URL.canParse(text)) throw new UsageError(`"${text}" is not a URL`);
  return text;
}

function keyspaceOf(name: string): string {
  if (!keyspaceNamePattern.test(name))
    throw new UsageError(`"${name}" is not a keyspace name (lower-case letters, digits and _)`);
  return name;
}

function graceOf(text: string): number {
  if (!/^\d+$/.test(text)) throw new UsageError(`--grace-ms takes a number of milliseconds, not "${text}"`);
  return Number(text);
}
