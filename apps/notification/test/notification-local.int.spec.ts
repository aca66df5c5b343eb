import { randomUUID } from 'node:crypto';
import type { Client } from 'cassandra-driver';
import { connectMessaging, type MessagingConnection, type OutgoingMessage } from '@platform/messaging';
import { eventually, listenOnEphemeralPort, type RunningApp } from '@platform/testing';
import { createApp, loadNotificationConfig, type NotificationAppOptions } from '../src';
import { anOrderCancelled, anOrderConfirmed, aUserRegistered } from './support/events';
import { type FakeAuthServer, startFakeAuthServer } from '@platform/auth/testing';
import { aTestKeyspace, cassandraContactPoints, connectTestCassandra } from './support/cassandra';
import { getNotifications } from './support/notifications-client';

const brokers = process.env['KAFKA_BROKERS'] ?? '127.0.0.1:9092';

interface NotificationItem {
  type: string;
  orderId: string | null;
  message: string;
}

/** The service in the local profile, with a keyspace and a consumer group of its own. */
async function startLocalNotification(
  auth: FakeAuthServer,
  keyspace: string,
  options: NotificationAppOptions = {},
): Promise<RunningApp> {
  const config = loadNotificationConfig({
    PROFILE: 'local',
    LOG_LEVEL: 'silent',
    OTEL_EXPORTER_OTLP_ENDPOINT: '',
    CASSANDRA_CONTACT_POINTS: cassandraContactPoints,
    CASSANDRA_KEYSPACE: keyspace,
    KAFKA_BROKERS: brokers,
    KAFKA_CONSUMER_GROUP: `notification-int-${randomUUID()}`,
    AUTH_URL: auth.url,
  });
  return listenOnEphemeralPort(await createApp(config, options));
}

describe('notification in the local profile, against real Cassandra and Kafka', () => {
  const keyspace = aTestKeyspace('notification_int');
  const flakyKeyspace = aTestKeyspace('notification_int_flaky');
  let cassandra: Client;
  let auth: FakeAuthServer;
  let producer: MessagingConnection;
  let service: RunningApp;
  beforeAll(async () => {
    cassandra = await connectTestCassandra();
    auth = await startFakeAuthServer();
    producer = await connectMessaging({ service: 'order', profile: 'local', brokers });
    service = await startLocalNotification(auth, keyspace);
  }, 90_000);
  afterAll(async () => {
    await service?.close();
    await producer?.close();
    await auth?.close();
    for (const name of [keyspace, flakyKeyspace]) await cassandra.execute(`DROP KEYSPACE IF EXISTS ${name}`);
    await cassandra.shutdown();
  }, 90_000);

  /** The user's list once it holds `count` notifications (the consumer group may still be joining). */
  const listOnceItHas = (baseUrl: string, userId: string, count: number) =>
    eventually(
      async () => {
        const reply = await getNotifications(baseUrl, await auth.tokenFor(userId), { limit: '100' });
        const items = reply.body?.items as NotificationItem[] | undefined;
        return items && items.length >= count ? items : undefined;
      },
      45_000,
      100,
    );

  it('when Cassandra and Kafka answer and its consumers have joined their groups, then /readyz is 200 and names all three', async () => {
    const body = await eventually(async () => {
      const response = await fetch(`${service.baseUrl}/readyz`);
      return response.status === 200
        ? ((await response.json()) as { info: Record<string, unknown> })
        : undefined;
    }, 60_000);
    expect(Object.keys(body.info).sort()).toEqual(['cassandra', 'consumer-groups', 'consumers', 'kafka']);
  });

  it('when the keyspace was missing at start, then the service created it with its tables', async () => {
    const tables = await cassandra.execute(
      'SELECT table_name FROM system_schema.tables WHERE keyspace_name = ?',
      [keyspace],
    );
    expect(tables.rows.map((row) => row['table_name'] as string).sort()).toEqual([
      'notification_events',
      'notifications',
    ]);
  });

  it('when the same OrderConfirmed is delivered three times, then the customer has one notification of it', async () => {
    const userId = randomUUID();
    const confirmed = anOrderConfirmed(userId);
    // The identical envelope, same ce_id, thrice: what a producer retry or a replay delivers.
    for (let delivery = 0; delivery < 3; delivery++) await producer.bus.publish(confirmed);
    // A later event of the same order (same key, same partition) is consumed after all three.
    await producer.bus.publish(anOrderCancelled(userId, 'TIMEOUT', orderIdOf(confirmed)));
    const items = await listOnceItHas(service.baseUrl, userId, 2);
    expect(items.map((item) => item.type)).toEqual(
      expect.arrayContaining(['ORDER_CONFIRMED', 'ORDER_CANCELLED']),
    );
    expect(items).toHaveLength(2);
    expect(items.filter((item) => item.type === 'ORDER_CONFIRMED')).toEqual([
      expect.objectContaining({
        orderId: orderIdOf(confirmed),
        message: expect.stringContaining('is confirmed'),
      }),
    ]);
  }, 60_000);

  it('when an OrderCancelled and a UserRegistered arrive, then each makes one notification', async () => {
    const userId = randomUUID();
    const cancelled = anOrderCancelled(userId, 'PAYMENT_DECLINED');
    await producer.bus.publish(aUserRegistered(userId, 'Grace Hopper'));
    await producer.bus.publish(cancelled);
    const items = await listOnceItHas(service.baseUrl, userId, 2);
    expect(items).toHaveLength(2);
    expect(items).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          type: 'WELCOME',
          orderId: null,
          message: 'Welcome, Grace Hopper! Your account is ready.',
        }),
        expect.objectContaining({
          type: 'ORDER_CANCELLED',
          orderId: orderIdOf(cancelled),
          message: `Your order ${orderIdOf(cancelled)} was cancelled because the payment was declined.`,
        }),
      ]),
    );
  }, 60_000);

  it('when the handler throws on the first delivery, then the event comes again through the retry topic and makes exactly one notification', async () => {
    const userId = randomUUID();
    const failedOnce = new Set<string>();
    const flaky = await startLocalNotification(auth, flakyKeyspace, {
      decorateStore: (store) => ({
        ensureSchema: () => store.ensureSchema(),
        listOf: (owner, page) => store.listOf(owner, page),
        recordOnce: async (eventId, draft) => {
          // Only this test's user: the fresh group also reads older events of the shared topics.
          if (draft.userId === userId && !failedOnce.has(eventId)) {
            failedOnce.add(eventId);
            throw new Error('injected: handler failure');
          }
          return store.recordOnce(eventId, draft);
        },
      }),
    });
    try {
      const confirmed = anOrderConfirmed(userId);
      await producer.bus.publish(confirmed);
      const items = await listOnceItHas(flaky.baseUrl, userId, 1);
      expect(failedOnce.has(confirmed.id ?? '')).toBe(true);
      expect(items).toEqual([
        expect.objectContaining({ type: 'ORDER_CONFIRMED', orderId: orderIdOf(confirmed) }),
      ]);
      // Whatever is delivered later changes nothing: the row count of this user stays one.
      const rows = await cassandra.execute(
        `SELECT id FROM ${flakyKeyspace}.notifications WHERE user_id = ?`,
        [userId],
        { prepare: true },
      );
      expect(rows.rowLength).toBe(1);
    } finally {
      await flaky.close();
    }
  }, 90_000);
});

function orderIdOf(message: OutgoingMessage): string {
  return (message.data as { orderId: string }).orderId;
}
