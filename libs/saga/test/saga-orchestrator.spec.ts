import { Registry } from 'prom-client';
import {
  InMemoryMessageBus,
  InMemoryOutboxStore,
  OutboxRelay,
  type RunningSubscription,
} from '@platform/messaging';
import { eventually } from '@platform/testing';
import { InMemorySagaStore, SagaOrchestrator, type SagaDocument, type SagaLogger } from '../src';
import { FakeParticipants } from './support/fake-participants';
import { anOrder, orderSaga, type OrderSagaData } from './support/order-saga';

describe('SagaOrchestrator running the order saga over the in-memory bus, outbox and relay', () => {
  let now: number;
  let documents: Map<string, SagaDocument>;
  let store: InMemorySagaStore;
  let bus: InMemoryMessageBus;
  let relay: OutboxRelay;
  let participants: FakeParticipants;
  let registry: Registry;
  let logged: string[];
  let subscriptions: RunningSubscription[];

  const logger: SagaLogger = {
    log: (message) => logged.push(`log ${message}`),
    warn: (message) => logged.push(`warn ${message}`),
    error: (message) => logged.push(`error ${message}`),
  };

  async function newOrchestrator(): Promise<SagaOrchestrator<OrderSagaData>> {
    const orchestrator = new SagaOrchestrator({
      definition: orderSaga,
      store,
      metrics: registry,
      logger,
      clock: () => now,
    });
    subscriptions.push(await bus.subscribe(orchestrator.subscription('order-saga')));
    return orchestrator;
  }

  const statusOf = async (id: string, status: string) => {
    const state = await store.load<OrderSagaData>(id);
    return state?.status === status ? state : undefined;
  };

  beforeEach(async () => {
    now = 1_000_000;
    documents = new Map();
    store = new InMemorySagaStore(documents);
    bus = new InMemoryMessageBus();
    relay = new OutboxRelay({
      store: new InMemoryOutboxStore(documents),
      publisher: bus,
      source: 'order',
      pollIntervalMs: 5,
    });
    relay.start();
    participants = new FakeParticipants(bus);
    await participants.start();
    registry = new Registry();
    logged = [];
    subscriptions = [];
  });

  afterEach(async () => {
    await relay.stop();
    await Promise.all(subscriptions.map((subscription) => subscription.stop()));
    await participants.stop();
  });

  it('when stock is reserved and payment authorized, then the stock is committed and the saga COMPLETED', async () => {
    const orchestrator = await newOrchestrator();
    await orchestrator.start('order-1', anOrder('order-1'));
    const completed = await eventually(() => statusOf('order-1', 'COMPLETED'));
    expect(completed.data.paymentId).toBe('pay-order-1');
    expect(participants.received).toEqual(['ReserveStock', 'AuthorizePayment', 'CommitStock']);
    const metrics = await registry.getSingleMetricAsString('saga_transitions_total');
    expect(metrics).toContain('saga_transitions_total{saga="order",from="RUNNING",to="COMPLETED"} 1');
    expect(await registry.getSingleMetricAsString('saga_in_progress')).toContain(
      'saga_in_progress{saga="order"} 0',
    );
  });

  it('when the payment is declined, then the stock is released and the saga CANCELLED with PAYMENT_DECLINED', async () => {
    participants.payment = 'decline';
    const orchestrator = await newOrchestrator();
    await orchestrator.start('order-2', anOrder('order-2'));
    const cancelled = await eventually(() => statusOf('order-2', 'CANCELLED'));
    expect(cancelled.reason).toBe('PAYMENT_DECLINED');
    expect(participants.received).toEqual(['ReserveStock', 'AuthorizePayment', 'ReleaseStock']);
  });

  it('when the payment never answers, then its deadline refunds and releases, CANCELLED TIMEOUT; a late PaymentAuthorized is refunded too', async () => {
    participants.payment = 'silent';
    const orchestrator = await newOrchestrator();
    await orchestrator.start('order-3', anOrder('order-3'));
    await eventually(async () => (participants.received.includes('AuthorizePayment') ? true : undefined));
    expect(await orchestrator.tick()).toBe(0);
    now += 30_000;
    expect(await orchestrator.tick()).toBe(1);
    const cancelled = await eventually(() => statusOf('order-3', 'CANCELLED'));
    expect(cancelled.reason).toBe('TIMEOUT');
    expect(participants.received).toEqual([
      'ReserveStock',
      'AuthorizePayment',
      'RefundPayment',
      'ReleaseStock',
    ]);

    await participants.authorizeLate('order-3');
    await eventually(async () => (participants.refunds.length === 2 ? true : undefined));
    expect(participants.refunds).toEqual([
      { orderId: 'order-3', reason: 'TIMEOUT' },
      { orderId: 'order-3', paymentId: 'pay-order-3', reason: 'LATE_AUTHORIZATION' },
    ]);
  });

  it('when the release is never confirmed, then the saga parks in COMPENSATION_FAILED with a metric and an error log', async () => {
    // No participant answers: the reservation times out and nobody confirms its release.
    await participants.stop();
    const orchestrator = await newOrchestrator();
    await orchestrator.start('order-4', anOrder('order-4'));
    // Without inventory the reservation times out: then ReleaseStock is re-sent until it gives up.
    for (let attempt = 0; attempt < 4; attempt++) {
      now += 30_000;
      await orchestrator.tick();
    }
    expect(await store.load('order-4')).toMatchObject({
      status: 'COMPENSATION_FAILED',
      compensationAttempts: 3,
    });
    expect(await registry.getSingleMetricAsString('saga_compensation_failed_total')).toContain(
      'saga_compensation_failed_total{saga="order"} 1',
    );
    expect(logged).toContainEqual(
      expect.stringMatching(/^error saga order order-4 parked in COMPENSATION_FAILED/),
    );
  });

  it('when the orchestrator restarts while a saga is overdue, then a new one resumes it from the store', async () => {
    participants.payment = 'silent';
    const first = await newOrchestrator();
    await first.start('order-5', anOrder('order-5'));
    await eventually(async () => (participants.received.includes('AuthorizePayment') ? true : undefined));
    // The process dies: its subscription goes, the store stays.
    await subscriptions.shift()!.stop();
    now += 60_000;
    const restarted = await newOrchestrator();
    expect(await restarted.resumeUnfinished()).toBe(1);
    const cancelled = await eventually(() => statusOf('order-5', 'CANCELLED'));
    expect(cancelled.reason).toBe('TIMEOUT');
    expect(logged).toContain('log resumed 1 unfinished order sagas');
  });

  it('when a reply names an unknown saga, then it is ignored with a warning', async () => {
    const orchestrator = await newOrchestrator();
    await participants.authorizeLate('ghost');
    await eventually(async () => (logged.some((line) => line.includes('ghost')) ? true : undefined));
    expect(logged).toContain('warn saga order ghost is unknown; reply ignored');
    expect(await orchestrator.tick()).toBe(0);
  });

  it('when a saga is started twice, then the second start sends nothing', async () => {
    const orchestrator = await newOrchestrator();
    const first = await orchestrator.start('order-6', anOrder('order-6'));
    const second = await orchestrator.start('order-6', anOrder('order-6'));
    expect(second.version).toBeGreaterThanOrEqual(first.version);
    await eventually(() => statusOf('order-6', 'COMPLETED'));
    expect(participants.received.filter((name) => name === 'ReserveStock')).toHaveLength(1);
  });
});
