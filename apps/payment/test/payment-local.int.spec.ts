import { randomUUID } from 'node:crypto';
import type { Client } from 'cassandra-driver';
import { type FakeAuthServer, startFakeAuthServer } from '@platform/auth/testing';
import {
  type IncomingMessage,
  type MessagingConnection,
  type OutgoingMessage,
  connectMessaging,
} from '@platform/messaging';
import {
  eventually,
  listenOnEphemeralPort,
  startServiceProcess,
  type RunningApp,
  type ServiceProcess,
} from '@platform/testing';
import { createApp, loadPaymentConfig } from '../src';
import { eventIdOf } from '../src/domain/event-ids';
import { CassandraPaymentStore } from '../src/store/cassandra-payment-store';
import { aRefundPayment, anAuthorizePayment } from './support/commands';
import { aTestKeyspace, cassandraContactPoints, connectTestCassandra } from './support/cassandra';
import { type PaymentEventLog, listenToPaymentEvents } from './support/payment-events';
import { getPayment } from './support/payments-client';

const brokers = process.env['KAFKA_BROKERS'] ?? '127.0.0.1:9092';
const orderIdOf = (message: { data: unknown }) => (message.data as { orderId: string }).orderId;
const reasonOf = (message: IncomingMessage | undefined) => (message?.data as { reason?: string }).reason;
const authorized = 'platform.payments.payment-authorized.v1';
const refundedType = 'platform.payments.payment-refunded.v1';
const failedType = 'platform.payments.payment-failed.v1';

interface SimulatedCharge {
  id: string;
  status: string;
  refunded: boolean;
  metadata: { paymentId: string };
}

/**
 * Needs the simulator built (`nx run payment:integration` builds it first): it runs as its own
 * process, as in the local profile, with a short `tok_slow` delay.
 */
describe('payment in the local profile, against real Cassandra, Kafka and the provider simulator', () => {
  const keyspace = aTestKeyspace('payment_int');
  let cassandra: Client;
  let auth: FakeAuthServer;
  let provider: ServiceProcess;
  let messaging: MessagingConnection;
  let events: PaymentEventLog;
  let service: RunningApp;
  let store: CassandraPaymentStore;
  beforeAll(async () => {
    cassandra = await connectTestCassandra();
    store = new CassandraPaymentStore(cassandra, keyspace);
    auth = await startFakeAuthServer();
    provider = await startServiceProcess('payment-provider-sim', { SLOW_TOKEN_DELAY_MS: '2500' });
    messaging = await connectMessaging({ service: 'order', profile: 'local', brokers });
    events = await listenToPaymentEvents(messaging.bus);
    const config = loadPaymentConfig({
      PROFILE: 'local',
      LOG_LEVEL: process.env['PAYMENT_LOG_LEVEL'] ?? 'silent',
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
      OUTBOX_RELAY_INTERVAL_MS: '50',
      PAYMENT_RECONCILE_INTERVAL_MS: '200',
    });
    service = await listenOnEphemeralPort(await createApp(config));
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

  const publish = (message: OutgoingMessage) => messaging.bus.publish(message);
  /**
   * The order's events sent by this service: other platforms on the shared broker (a benchmark,
   * an e2e run) consume the same commands and answer them too. This service's answers are known by
   * their ids, fixed per payment and outcome.
   */
  const ours = async (orderId: string): Promise<IncomingMessage[]> => {
    const payment = await store.find(orderId);
    if (!payment) return [];
    const ids = new Set([
      eventIdOf(payment.paymentId, 'authorization'),
      eventIdOf(payment.paymentId, 'refund'),
    ]);
    return events.of(orderId).filter((message) => ids.has(message.id));
  };
  const waitFor = (orderId: string, count: number) =>
    eventually(async () => {
      const received = await ours(orderId);
      return received.length >= count ? received : undefined;
    }, 60_000);
  /** The simulator's own record of the order's charges: what the customer was really charged. */
  const chargesAt = async (orderId: string): Promise<SimulatedCharge[]> => {
    const response = await fetch(`${provider.baseUrl}/v1/charges?metadata[orderId]=${orderId}`);
    return ((await response.json()) as { data: SimulatedCharge[] }).data;
  };
  const setFaults = async (faults: Record<string, unknown>) => {
    const response = await fetch(`${provider.baseUrl}/admin/faults`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(faults),
    });
    expect(response.status).toBe(200);
  };
  /** The breaker's state as /metrics exposes it: 0 closed, 1 half-open, 2 open. */
  const breakerState = async () => {
    const text = await (await fetch(`${service.baseUrl}/metrics`)).text();
    return Number(/^resilience_circuit_state\{[^}]*name="payment-provider"[^}]*\} (\d)/m.exec(text)?.[1]);
  };
  const authorizeOne = async () => {
    const command = anAuthorizePayment();
    await publish(command);
    const [outcome] = await waitFor(orderIdOf(command), 1);
    if (!outcome) throw new Error('no answer');
    return outcome;
  };

  it('when Cassandra and Kafka answer and its consumers have joined their groups, then /readyz is 200 and names all three', async () => {
    const body = await eventually(async () => {
      const response = await fetch(`${service.baseUrl}/readyz`);
      return response.status === 200
        ? ((await response.json()) as { info: Record<string, unknown> })
        : undefined;
    }, 60_000);
    expect(Object.keys(body.info).sort()).toEqual(['cassandra', 'consumer-groups', 'consumers', 'kafka']);
  });

  it('when a card is approved, then PaymentAuthorized, one charge at the provider, and the owner or an admin sees it', async () => {
    const userId = randomUUID();
    const command = anAuthorizePayment({ userId });
    const orderId = orderIdOf(command);
    await publish(command);
    const [event] = await waitFor(orderId, 1);
    expect(event).toMatchObject({ type: authorized, data: { orderId, amountCents: 2599, currency: 'EUR' } });
    const paymentId = (event?.data as { paymentId: string }).paymentId;
    expect(await chargesAt(orderId)).toEqual([
      expect.objectContaining({ status: 'succeeded', metadata: expect.objectContaining({ paymentId }) }),
    ]);
    expect(await getPayment(service.baseUrl, await auth.tokenFor(userId), orderId)).toMatchObject({
      status: 200,
      body: { paymentId, orderId, status: 'AUTHORIZED', amountCents: 2599, currency: 'EUR' },
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

  it('when AuthorizePayment is delivered three times, then the provider charged once and every answer is the same event', async () => {
    const command = anAuthorizePayment();
    const orderId = orderIdOf(command);
    await publish(command);
    await publish(command);
    await publish({ ...command, id: randomUUID() });
    const received = await waitFor(orderId, 3);
    expect(received.map((message) => message.type)).toEqual(Array(3).fill(authorized));
    // Re-emitted with the same ce_id: the order saga's inbox takes the repeats as duplicates.
    expect(new Set(received.map((message) => message.id)).size).toBe(1);
    expect(await chargesAt(orderId)).toHaveLength(1);
  }, 90_000);

  it('when an authorized payment is refunded, then it is REFUNDED and the provider shows the refund', async () => {
    const userId = randomUUID();
    const command = anAuthorizePayment({ userId });
    const orderId = orderIdOf(command);
    await publish(command);
    await waitFor(orderId, 1);
    await publish(aRefundPayment(orderId));
    const [, refunded] = await waitFor(orderId, 2);
    expect(refunded).toMatchObject({ type: refundedType, data: { orderId, amountCents: 2599 } });
    expect(await chargesAt(orderId)).toEqual([expect.objectContaining({ refunded: true })]);
    const reply = await getPayment(service.baseUrl, await auth.tokenFor(userId), orderId);
    expect(reply.body).toMatchObject({ status: 'REFUNDED' });
  }, 90_000);

  it('when tok_slow outlasts the timeout and the order is refunded meanwhile, then it stays PENDING unanswered, and the late charge is refunded', async () => {
    const userId = randomUUID();
    const command = anAuthorizePayment({ userId, paymentMethod: 'tok_slow' });
    const orderId = orderIdOf(command);
    await publish(command);
    const owner = await auth.tokenFor(userId);
    await eventually(async () => {
      const reply = await getPayment(service.baseUrl, owner, orderId);
      return reply.body?.status === 'PENDING' ? reply : undefined;
    }, 60_000);
    // What the order saga sends when its payment step times out.
    await publish(aRefundPayment(orderId));

    const received = await waitFor(orderId, 2);
    expect(received.map((message) => message.type)).toEqual([authorized, refundedType]);
    expect(received[1]?.data).toMatchObject({ orderId, amountCents: 2599 });
    expect(await chargesAt(orderId)).toEqual([
      expect.objectContaining({ status: 'succeeded', refunded: true }),
    ]);
    expect((await getPayment(service.baseUrl, owner, orderId)).body).toMatchObject({ status: 'REFUNDED' });
  }, 90_000);

  it('when the provider is down, then the breaker opens, payments fail fast without calls, and it closes after recovery', async () => {
    await setFaults({ outage: true });
    try {
      // 503s until the breaker has seen enough failures in its window; then it refuses without calling.
      const reasons: Array<string | undefined> = [];
      await eventually(
        async () => {
          reasons.push(reasonOf(await authorizeOne()));
          return reasons.at(-1) === 'PROVIDER_UNAVAILABLE' ? true : undefined;
        },
        60_000,
        0,
      );
      // The simulator answers 503 while it runs: PROVIDER_UNAVAILABLE can only be the open breaker.
      expect(reasons.slice(0, -1).every((reason) => reason === 'PROVIDER_ERROR')).toBe(true);
      expect(reasons.length).toBeGreaterThan(1);
      expect(await breakerState()).toBe(2);
    } finally {
      await setFaults({});
    }
    // After PROVIDER_BREAKER_RESET_MS a trial call goes through; a new order is then authorized.
    await eventually(
      async () => ((await authorizeOne()).type === authorized ? true : undefined),
      60_000,
      500,
    );
    expect(await breakerState()).toBe(0);
  }, 120_000);

  it('when the provider answers only after the timeout, then those payments wait unanswered, the breaker opens, and after recovery they are authorized late, charged once', async () => {
    await setFaults({ latencyMs: 1500 });
    let inDoubt: string[] = [];
    try {
      const orderIds: string[] = [];
      for (let index = 0; index < 3; index += 1) {
        const command = anAuthorizePayment();
        orderIds.push(orderIdOf(command));
        await publish(command);
      }
      await eventually(async () => ((await breakerState()) === 2 ? true : undefined), 60_000, 50);
      // Each payment's first call either reached the provider (and timed out: in doubt) or was refused
      // by the open breaker (PaymentFailed at once). A PENDING status alone does not tell them apart:
      // a claimed payment is PENDING until its call is decided.
      const outcomes = await eventually(async () => {
        const each = await Promise.all(
          orderIds.map(async (orderId) => ({
            orderId,
            sent: (await chargesAt(orderId)).length > 0,
            refused: (await ours(orderId)).some((message) => message.type === failedType),
          })),
        );
        return each.every(({ sent, refused }) => sent || refused) ? each : undefined;
      }, 60_000);
      inDoubt = outcomes.flatMap(({ orderId, sent }) => (sent ? [orderId] : []));
      expect(inDoubt.length).toBeGreaterThan(0);
      for (const orderId of inDoubt) {
        expect((await store.find(orderId))?.status).toBe('PENDING');
        expect(await ours(orderId)).toEqual([]);
      }
      const refused = await authorizeOne();
      expect(refused).toMatchObject({ data: { reason: 'PROVIDER_UNAVAILABLE' } });
      expect(await chargesAt(orderIdOf(refused))).toEqual([]);
    } finally {
      await setFaults({});
    }
    // The reconciler's calls are the breaker's trial calls; each waiting payment gets its late answer.
    for (const orderId of inDoubt) {
      const [late] = await waitFor(orderId, 1);
      expect(late).toMatchObject({ type: authorized });
      expect(await chargesAt(orderId)).toHaveLength(1);
    }
    expect(await breakerState()).toBe(0);
  }, 120_000);
});
