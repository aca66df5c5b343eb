import { randomUUID } from 'node:crypto';
import { Client as CassandraClient } from 'cassandra-driver';
import { Kafka, logLevel, type Admin, type Producer } from 'kafkajs';
import { MongoClient, type Db } from 'mongodb';
import { whileLeadershipSettles } from '../src/sibling-tools.ts';

/** A document as a service stores it: a string id and whatever fields it writes. */
type Stored = { _id: string } & Record<string, unknown>;

export interface Servers {
  mongoUrl: string;
  kafkaBrokers: string;
  cassandraContactPoints: string;
  providerUrl: string;
}

/**
 * A platform's stores filled by hand, as the services would have left them, in databases,
 * keyspaces, topics and a consumer group of its own: a consistent state first, into which
 * `plantViolations` then plants one violation of each invariant.
 */
export interface HandMadePlatform {
  /** The CLI's options that point it at these stores. */
  args: string[];
  ids: {
    confirmed: string;
    cancelled: string;
    pending: string;
    oversoldSku: string;
    leakySku: string;
    deadLetterTopic: string;
    group: string;
  };
  plantViolations(): Promise<void>;
  drop(): Promise<void>;
}

// The services' schemas (apps/payment/src/store/cassandra-payment-store.ts,
// libs/messaging/src/outbox/cassandra-outbox-store.ts, apps/notification/src/store/cassandra-notification-store.ts).
const paymentTables = (keyspace: string) => [
  `CREATE TABLE ${keyspace}.payments (
    order_id text PRIMARY KEY, payment_id text, user_id text, amount_cents bigint, currency text,
    payment_method text, status text, created_at timestamp, charge_id text, reason text,
    detail text, refund_id text, refund_requested boolean, origin text, refund_origin text
  )`,
  `CREATE TABLE ${keyspace}.payment_outbox (
    aggregate_id text, sequence timeuuid, occurred_at timestamp, event_id text,
    type text, data text, traceparent text, tracestate text, correlation_id text,
    generation int, lease_owner text, lease_until timestamp, attempts int, last_error text,
    PRIMARY KEY ((aggregate_id), sequence)
  ) WITH CLUSTERING ORDER BY (sequence ASC)`,
];
const notificationTables = (keyspace: string) => [
  `CREATE TABLE ${keyspace}.notifications (
    user_id text, created_at timestamp, id text, event_id text,
    type text, order_id text, message text,
    PRIMARY KEY ((user_id), created_at, id)
  ) WITH CLUSTERING ORDER BY (created_at DESC, id DESC)`,
];

interface Clients {
  mongo: MongoClient;
  cassandra: CassandraClient;
  admin: Admin;
  producer: Producer;
  close(): Promise<void>;
}

/** Connects to the servers; what connected is closed again when the rest fails. */
async function connectClients(servers: Servers): Promise<Clients> {
  const mongo = new MongoClient(servers.mongoUrl);
  const cassandra = new CassandraClient({
    contactPoints: servers.cassandraContactPoints.split(','),
    localDataCenter: 'datacenter1',
  });
  const kafka = new Kafka({
    clientId: 'invariants-test',
    brokers: servers.kafkaBrokers.split(','),
    logLevel: logLevel.NOTHING,
  });
  const admin = kafka.admin();
  const producer = kafka.producer();
  const close = async () => {
    await Promise.allSettled([
      mongo.close(),
      cassandra.shutdown(),
      producer.disconnect(),
      admin.disconnect(),
    ]);
  };
  try {
    await Promise.all([mongo.connect(), cassandra.connect(), admin.connect(), producer.connect()]);
  } catch (error) {
    await close();
    throw error;
  }
  return { mongo, cassandra, admin, producer, close };
}

/**
 * The stores and topics of a platform that never ran, filled by hand. A set-up that fails halfway
 * closes its connections: left open, they would keep jest from exiting after the failure.
 */
export async function handMadePlatform(servers: Servers): Promise<HandMadePlatform> {
  const clients = await connectClients(servers);
  try {
    return await fillByHand(servers, clients);
  } catch (error) {
    await clients.close();
    throw error;
  }
}

async function fillByHand(
  servers: Servers,
  { mongo, cassandra, admin, producer, close }: Clients,
): Promise<HandMadePlatform> {
  const run = `${Date.now().toString(36)}${randomUUID().slice(0, 6)}`;
  const names = {
    inventory: `invariants-test-${run}-inventory`,
    order: `invariants-test-${run}-order`,
    auth: `invariants-test-${run}-auth`,
    paymentKeyspace: `invariants_test_${run}_payment`,
    notificationKeyspace: `invariants_test_${run}_notification`,
    topic: `invariants-test-${run}.orders.events.v1`,
    group: `invariants-test-${run}`,
  };
  const ids = {
    confirmed: `order-confirmed-${run}`,
    cancelled: `order-cancelled-${run}`,
    pending: `order-pending-${run}`,
    oversoldSku: `sku-oversold-${run}`,
    leakySku: `sku-leaky-${run}`,
    deadLetterTopic: `${names.topic}.dlq`,
    group: names.group,
  };
  const userId = `user-${run}`;
  const now = Date.now();

  const inventory: Db = mongo.db(names.inventory);
  const order: Db = mongo.db(names.order);

  const charge = async (orderId: string, source: string, amount: number): Promise<string> => {
    const answer = await fetch(`${servers.providerUrl}/v1/charges`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ amount, currency: 'eur', source, metadata: { orderId } }),
    });
    const body = (await answer.json()) as { id?: string; error?: { charge?: string } };
    const id = body.id ?? body.error?.charge;
    if (!id) throw new Error(`POST /v1/charges answered ${answer.status}: ${JSON.stringify(body)}`);
    return id;
  };
  const cql = (query: string, params: unknown[] = []) => cassandra.execute(query, params, { prepare: true });
  const insertPayment = (orderId: string, status: string, chargeId: string | null) =>
    cql(
      `INSERT INTO ${names.paymentKeyspace}.payments (order_id, payment_id, user_id, status, charge_id, created_at)
       VALUES (?, ?, ?, ?, ?, ?)`,
      [orderId, `pay-${orderId}`, userId, status, chargeId, new Date(now)],
    );
  const notify = (orderId: string | null, type: string) =>
    cql(
      `INSERT INTO ${names.notificationKeyspace}.notifications (user_id, created_at, id, event_id, type, order_id, message)
       VALUES (?, ?, ?, ?, ?, ?, ?)`,
      [userId, new Date(), randomUUID(), randomUUID(), type, orderId, 'a notice'],
    );

  for (const keyspace of [names.paymentKeyspace, names.notificationKeyspace])
    await cql(
      `CREATE KEYSPACE ${keyspace} WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}`,
    );
  for (const statement of [
    ...paymentTables(names.paymentKeyspace),
    ...notificationTables(names.notificationKeyspace),
  ])
    await cql(statement);

  // The consistent state: 10 units of sku-a, two sold to the confirmed order, one reserved by the
  // pending one; sku-b untouched since it was created (no ledger entry yet).
  const skuA = `sku-a-${run}`;
  await inventory.collection<Stored>('products').insertMany([
    { _id: skuA, name: 'A', priceCents: 1250, currency: 'EUR', initialStock: 10, outbox: [] },
    { _id: `sku-b-${run}`, name: 'B', priceCents: 500, currency: 'EUR', initialStock: 5, outbox: [] },
  ]);
  await inventory.collection<Stored>('stock').insertOne({
    _id: skuA,
    version: 4,
    available: 7,
    reserved: 1,
    sold: 2,
    initial: 10,
    restocked: 0,
    holds: [],
  });
  const orders = order.collection<Stored>('orders');
  /** An order as the order service stores it, with the saga fields the checker reads. */
  const placed = (
    orderId: string,
    quantity: number,
    status: string,
    deadline: number | null,
    reason: string | null,
  ) => ({
    _id: orderId,
    userId,
    items: [{ sku: skuA, quantity, unitPriceCents: 1250 }],
    totalCents: quantity * 1250,
    currency: 'EUR',
    paymentMethod: 'tok_visa',
    createdAt: new Date(now),
    saga: { sagaId: orderId, saga: 'order', status, deadline, reason, version: 3 },
    outbox: [],
  });
  await orders.insertMany([
    placed(ids.confirmed, 2, 'COMPLETED', null, null),
    placed(ids.cancelled, 1, 'CANCELLED', null, 'PAYMENT_DECLINED'),
    placed(ids.pending, 1, 'RUNNING', now + 600_000, null),
  ]);
  const confirmedCharge = await charge(ids.confirmed, 'tok_visa', 2500);
  const declinedCharge = await charge(ids.cancelled, 'tok_chargeDeclined', 1250);
  await insertPayment(ids.confirmed, 'AUTHORIZED', confirmedCharge);
  await insertPayment(ids.cancelled, 'DECLINED', declinedCharge);
  await notify(ids.confirmed, 'ORDER_CONFIRMED');
  await notify(ids.cancelled, 'ORDER_CANCELLED');
  await notify(null, 'WELCOME');

  // Two messages on the group's topic, both consumed; one dead letter, explained.
  // A broker that just started may answer "does not host this topic-partition" while waiting for
  // the new topics' leaders; asking again is safe (the topics then exist).
  await whileLeadershipSettles(
    () =>
      admin.createTopics({
        waitForLeaders: true,
        topics: [
          { topic: names.topic, numPartitions: 1 },
          { topic: ids.deadLetterTopic, numPartitions: 1 },
        ],
      }),
    1000,
  );
  await producer.send({ topic: names.topic, acks: -1, messages: [{ value: 'one' }, { value: 'two' }] });
  await admin.setOffsets({
    groupId: names.group,
    topic: names.topic,
    partitions: [{ partition: 0, offset: '2' }],
  });
  await producer.send({
    topic: ids.deadLetterTopic,
    acks: -1,
    messages: [
      {
        key: ids.confirmed,
        value: '{}',
        headers: {
          ce_id: randomUUID(),
          'dlq-reason': 'handler failed: Error: store unavailable',
          'dlq-attempts': '4',
          'dlq-group': 'notification',
          'dlq-original-topic': names.topic,
        },
      },
    ],
  });

  return {
    ids,
    args: [
      '--mongo',
      servers.mongoUrl,
      '--kafka',
      servers.kafkaBrokers,
      '--cassandra',
      servers.cassandraContactPoints,
      '--provider',
      servers.providerUrl,
      '--auth-db',
      names.auth,
      '--inventory-db',
      names.inventory,
      '--order-db',
      names.order,
      '--payment-keyspace',
      names.paymentKeyspace,
      '--notification-keyspace',
      names.notificationKeyspace,
      '--groups',
      names.group,
      '--dlq-topics',
      ids.deadLetterTopic,
      '--grace-ms',
      '5000',
    ],
    async plantViolations() {
      const minuteAgo = new Date(Date.now() - 60_000);
      // Stock: one sku oversold (conserved, though: 11 sold of 10), one that lost a unit.
      await inventory.collection<Stored>('stock').insertMany([
        {
          _id: ids.oversoldSku,
          version: 9,
          available: -1,
          reserved: 0,
          sold: 11,
          initial: 10,
          restocked: 0,
          holds: [],
        },
        {
          _id: ids.leakySku,
          version: 2,
          available: 4,
          reserved: 0,
          sold: 0,
          initial: 5,
          restocked: 0,
          holds: [],
        },
      ]);
      // The cancelled order is charged after all, and the ledger keeps that charge.
      const late = await charge(ids.cancelled, 'tok_visa', 1250);
      await insertPayment(ids.cancelled, 'AUTHORIZED', late);
      // The pending order is a minute past its deadline.
      await orders.updateOne({ _id: ids.pending }, { $set: { 'saga.deadline': minuteAgo.getTime() } });
      // The confirmed order is notified twice.
      await notify(ids.confirmed, 'ORDER_CONFIRMED');
      // An OrderConfirmed stuck in the order's outbox for a minute, a PaymentAuthorized in the payment outbox.
      await orders.updateOne(
        { _id: ids.confirmed },
        {
          $set: {
            outbox: [
              {
                id: randomUUID(),
                type: 'OrderConfirmed',
                occurredAt: minuteAgo,
                data: {},
                traceparent: null,
                state: 'pending',
                attempts: 0,
              },
            ],
            outboxPending: true,
          },
        },
      );
      await cql(
        `INSERT INTO ${names.paymentKeyspace}.payment_outbox (aggregate_id, sequence, occurred_at, event_id, type, data, generation, attempts)
         VALUES (?, now(), ?, ?, 'PaymentAuthorized', '{}', 0, 0)`,
        [ids.cancelled, minuteAgo, randomUUID()],
      );
      // A dead letter that says neither why nor how often; a message the group has not consumed.
      await producer.send({
        topic: ids.deadLetterTopic,
        acks: -1,
        messages: [{ key: ids.pending, value: '{}', headers: { ce_id: randomUUID() } }],
      });
      await producer.send({ topic: names.topic, acks: -1, messages: [{ value: 'three' }] });
    },
    async drop() {
      await Promise.allSettled([
        inventory.dropDatabase(),
        order.dropDatabase(),
        admin.deleteGroups([names.group]),
        admin.deleteTopics({ topics: [names.topic, ids.deadLetterTopic] }),
      ]);
      for (const keyspace of [names.paymentKeyspace, names.notificationKeyspace])
        await cql(`DROP KEYSPACE IF EXISTS ${keyspace}`).catch(() => undefined);
      await close();
    },
  };
}
