import { randomUUID } from 'node:crypto';
import type { Client } from 'cassandra-driver';
import { type FakeAuthServer, startFakeAuthServer } from '@platform/auth/testing';
import { connectMessaging, type MessagingConnection } from '@platform/messaging';
import {
  eventually,
  listenOnEphemeralPort,
  startServiceProcess,
  type RunningApp,
  type ServiceProcess,
} from '@platform/testing';
import { createApp, loadPaymentConfig } from '../src';
import { aRefundPayment, anAuthorizePayment } from './support/commands';
import { aTestKeyspace, cassandraContactPoints, connectTestCassandra } from './support/cassandra';
import { type PaymentEventLog, listenToPaymentEvents } from './support/payment-events';
import { getPayment } from './support/payments-client';

const brokers = process.env['KAFKA_BROKERS'] ?? '127.0.0.1:9092';
const orderIdOf = (message: { data: unknown }) => (message.data as { orderId: string }).orderId;

/** Needs `nx run payment-provider-sim:build`: the provider runs as its own process, as in the local profile. */
describe('payment in the local profile, against real Cassandra, Kafka and the provider simulator', () => {
  const keyspace = aTestKeyspace('payment_int');
  let cassandra: Client;
  let auth: FakeAuthServer;
  let provider: ServiceProcess;
  let messaging: MessagingConnection;
  let events: PaymentEventLog;
  let service: RunningApp;
  beforeAll(async () => {
    cassandra = await connectTestCassandra();
    auth = await startFakeAuthServer();
    provider = await startServiceProcess('payment-provider-sim', { SLOW_TOKEN_DELAY_MS: '3000' });
    messaging = await connectMessaging({ service: 'order', profile: 'local', brokers });
    events = await listenToPaymentEvents(messaging.bus);
    const config = loadPaymentConfig({
      PROFILE: 'local',
      LOG_LEVEL: 'silent',
      OTEL_EXPORTER_OTLP_ENDPOINT: '',
      CASSANDRA_CONTACT_POINTS: cassandraContactPoints,
      CASSANDRA_KEYSPACE: keyspace,
      KAFKA_BROKERS: brokers,
      KAFKA_CONSUMER_GROUP: `payment-int-${randomUUID()}`,
      KAFKA_AUTO_OFFSET_RESET: 'latest',
      AUTH_URL: auth.url,
      PROVIDER_URL: provider.baseUrl,
      PROVIDER_TIMEOUT_MS: '1000',
      PROVIDER_MAX_ATTEMPTS: '1',
      PROVIDER_BREAKER_VOLUME_THRESHOLD: '3',
      PROVIDER_BREAKER_RESET_MS: '1000',
    });
    service = await listenOnEphemeralPort(await createApp(config, { relayPollIntervalMs: 50 }));
  }, 120_000);
  afterAll(async () => {
    await service?.close();
    await events?.stop();
    await messaging?.close();
    await provider?.stop();
    await auth?.close();
    await cassandra?.execute(`DROP KEYSPACE IF EXISTS ${keyspace}`);
    await cassandra?.shutdown();
  }, 120_000);

  const publish = (message: Parameters<MessagingConnection['bus']['publish']>[0]) =>
    messaging.bus.publish(message);
  const chargesAt = async (orderId: string) => {
    const response = await fetch(`${provider.baseUrl}/v1/charges?metadata[orderId]=${orderId}`);
    return ((await response.json()) as { data: Array<{ id: string; status: string; refunded: boolean }> })
      .data;
  };
  const setFaults = (faults: Record<string, unknown>) =>
    fetch(`${provider.baseUrl}/admin/faults`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(faults),
    });
  // The group joins after its subscription resolves: until the first event arrives, Kafka may still be assigning partitions.
  const waitFor = (orderId: string, count: number) => events.waitFor(orderId, count, 60_000);

  it('when Cassandra and Kafka answer, then /readyz is 200 and names both', async () => {
    const response = await fetch(`${service.baseUrl}/readyz`);
    expect(response.status).toBe(200);
    const body = (await response.json()) as { info: Record<string, unknown> };
    expect(Object.keys(body.info).sort()).toEqual(['cassandra', 'kafka']);
  });

  it('when AuthorizePayment is delivered three times, then the provider charged once and one payment was authorized', async () => {
    const userId = randomUUID();
    const command = anAuthorizePayment({ userId });
    const orderId = orderIdOf(command);
    // The first one alone until it is handled: the consumer group may still be joining.
    await publish(command);
    await waitFor(orderId, 1);
    await publish(command);
    await publish({ ...command, id: randomUUID() });
    const received = await waitFor(orderId, 3);
    expect(received.map((message) => message.type)).toEqual(
      Array(3).fill('platform.payments.payment-authorized.v1'),
    );
    expect(new Set(received.map((message) => (message.data as { paymentId: string }).paymentId)).size).toBe(
      1,
    );
    expect(await chargesAt(orderId)).toHaveLength(1);

    const owner = await getPayment(service.baseUrl, await auth.tokenFor(userId), orderId);
    expect(owner).toMatchObject({
      status: 200,
      body: { orderId, status: 'AUTHORIZED', amountCents: 2599, currency: 'EUR' },
    });
    expect((await getPayment(service.baseUrl, await auth.tokenFor(randomUUID()), orderId)).status).toBe(404);
    const admin = await getPayment(service.baseUrl, await auth.tokenFor(randomUUID(), ['admin']), orderId);
    expect(admin.body).toMatchObject({ orderId, status: 'AUTHORIZED' });
  }, 90_000);

  it('when the card is declined, then PaymentDeclined(CARD_DECLINED)', async () => {
    const command = anAuthorizePayment({ paymentMethod: 'tok_chargeDeclined' });
    await publish(command);
    const [declined] = await waitFor(orderIdOf(command), 1);
    expect(declined).toMatchObject({
      type: 'platform.payments.payment-declined.v1',
      data: { reason: 'CARD_DECLINED' },
    });
  }, 90_000);

  it('when the provider answers after the timeout (tok_slow), then PaymentFailed(PROVIDER_TIMEOUT)', async () => {
    const command = anAuthorizePayment({ paymentMethod: 'tok_slow' });
    await publish(command);
    const [failed] = await waitFor(orderIdOf(command), 1);
    expect(failed).toMatchObject({
      type: 'platform.payments.payment-failed.v1',
      data: { reason: 'PROVIDER_TIMEOUT' },
    });
  }, 90_000);

  it('when an authorized payment is refunded, then it is REFUNDED and the provider shows the refund', async () => {
    const userId = randomUUID();
    const command = anAuthorizePayment({ userId });
    const orderId = orderIdOf(command);
    await publish(command);
    await waitFor(orderId, 1);
    await publish(aRefundPayment(orderId));
    const [, refunded] = await waitFor(orderId, 2);
    expect(refunded).toMatchObject({ type: 'platform.payments.payment-refunded.v1', data: { orderId } });
    expect(await chargesAt(orderId)).toEqual([expect.objectContaining({ refunded: true })]);
    const reply = await getPayment(service.baseUrl, await auth.tokenFor(userId), orderId);
    expect(reply.body).toMatchObject({ status: 'REFUNDED' });
  }, 90_000);

  it('when the provider is down, then the breaker opens, payments fail fast without calls, and it closes after recovery', async () => {
    await setFaults({ outage: true });
    try {
      // 503s until the breaker has seen enough failures in its window; then it refuses without calling.
      const reasons: string[] = [];
      await eventually(
        async () => {
          const command = anAuthorizePayment();
          await publish(command);
          const [failed] = await waitFor(orderIdOf(command), 1);
          const reason = (failed?.data as { reason: string }).reason;
          reasons.push(reason);
          return reason === 'PROVIDER_UNAVAILABLE' ? reason : undefined;
        },
        60_000,
        0,
      );
      // The provider process is up: PROVIDER_UNAVAILABLE can only be the open breaker refusing the call.
      expect(reasons.slice(0, -1).every((reason) => reason === 'PROVIDER_ERROR')).toBe(true);
      expect(reasons.length).toBeGreaterThan(1);
    } finally {
      await setFaults({});
    }
    // After PROVIDER_BREAKER_RESET_MS a trial call goes through; a new order is then authorized.
    await eventually(
      async () => {
        const command = anAuthorizePayment();
        await publish(command);
        const [outcome] = await waitFor(orderIdOf(command), 1);
        return outcome?.type === 'platform.payments.payment-authorized.v1' ? outcome : undefined;
      },
      60_000,
      500,
    );
  }, 120_000);
});
