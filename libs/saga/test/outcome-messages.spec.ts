import {
  InMemoryMessageBus,
  InMemoryOutboxStore,
  OutboxRelay,
  type IncomingMessage,
  type RunningSubscription,
} from '@platform/messaging';
import { OrderCancelled, OrderConfirmed } from '@platform/contracts';
import { eventually } from '@platform/testing';
import {
  InMemorySagaStore,
  SagaOrchestrator,
  defineSaga,
  startSaga,
  transition,
  type SagaDocument,
  type SagaReply,
  type SagaState,
} from '../src';
import { FakeParticipants } from './support/fake-participants';
import { anOrder, orderSaga, type OrderSagaData } from './support/order-saga';

/** The fixture saga announcing its outcome, as the order service's does. */
const announcingSaga = defineSaga<OrderSagaData>({
  ...orderSaga,
  onFinished: (state) =>
    state.status === 'COMPLETED'
      ? [
          {
            type: 'OrderConfirmed',
            data: {
              orderId: state.data.orderId,
              userId: state.data.userId,
              paymentId: state.data.paymentId,
              totalCents: state.data.amountCents,
              currency: state.data.currency,
            },
          },
        ]
      : [
          {
            type: 'OrderCancelled',
            data: { orderId: state.data.orderId, userId: state.data.userId, reason: state.reason },
          },
        ],
});

const t0 = 1_000_000;
let replies = 0;
const reply = (type: string, data: unknown = { orderId: 'order-1' }): SagaReply => ({
  id: `reply-${++replies}`,
  type,
  data,
});
const authorized = () =>
  reply('PaymentAuthorized', { orderId: 'order-1', paymentId: 'pay-1', amountCents: 1500, currency: 'EUR' });

/** Each event in turn; what each transition sent, by type. */
function run(events: (SagaReply | 'deadline')[]) {
  let { state } = startSaga(announcingSaga, 'order-1', anOrder(), t0);
  const perTransition: string[][] = [];
  for (const event of events) {
    const next = transition(
      announcingSaga,
      state,
      event === 'deadline' ? { kind: 'deadline' } : { kind: 'reply', reply: event },
      event === 'deadline' ? (state.deadline ?? t0) : t0,
    );
    state = next.state;
    perTransition.push(next.commands.map((command) => command.type));
  }
  return { state, perTransition };
}

describe('outcome messages of a saga (onFinished)', () => {
  it('when the last step succeeds, then OrderConfirmed is sent by the transition that completes the saga', () => {
    const { state, perTransition } = run([reply('StockReserved'), authorized(), reply('StockCommitted')]);
    expect(state.status).toBe('COMPLETED');
    expect(perTransition).toEqual([['AuthorizePayment'], ['CommitStock'], ['OrderConfirmed']]);
  });

  it('when the saga is cancelled at once, then OrderCancelled follows in the same transition', () => {
    const { state, perTransition } = run([reply('StockRejected')]);
    expect(state).toMatchObject({ status: 'CANCELLED', reason: 'OUT_OF_STOCK' });
    expect(perTransition).toEqual([['OrderCancelled']]);
  });

  it('when a cancellation waits for its compensation, then OrderCancelled comes with the confirmation, after the compensations', () => {
    const { perTransition } = run([reply('StockReserved'), 'deadline', reply('StockReleased')]);
    expect(perTransition).toEqual([
      ['AuthorizePayment'],
      ['RefundPayment', 'ReleaseStock'],
      ['OrderCancelled'],
    ]);
  });

  it('when a late reply is compensated after the outcome, then the outcome is not announced again', () => {
    const { perTransition } = run([reply('StockReserved'), 'deadline', reply('StockReleased'), authorized()]);
    expect(perTransition.at(-1)).toEqual(['RefundPayment']);
    expect(perTransition.flat().filter((type) => type === 'OrderCancelled')).toHaveLength(1);
  });

  it('when the saga parks in COMPENSATION_FAILED, then no outcome is announced', () => {
    let state: SagaState<OrderSagaData> = run([reply('StockReserved'), reply('PaymentDeclined')]).state;
    const sent: string[] = [];
    while (state.status === 'COMPENSATING') {
      const next = transition(announcingSaga, state, { kind: 'deadline' }, state.deadline!);
      sent.push(...next.commands.map((command) => command.type));
      state = next.state;
    }
    expect(state.status).toBe('COMPENSATION_FAILED');
    expect(sent).not.toContain('OrderCancelled');
    expect(sent).not.toContain('OrderConfirmed');
  });

  it('when the definition has no onFinished, then finishing sends nothing more', () => {
    const { state, commands } = startSaga(orderSaga, 'order-1', anOrder(), t0);
    expect(
      transition(orderSaga, state, { kind: 'reply', reply: reply('StockRejected') }, t0).commands,
    ).toEqual([]);
    expect(commands.map((command) => command.type)).toEqual(['ReserveStock']);
  });
});

describe('start messages of a saga (onStarted)', () => {
  const placingSaga = defineSaga<OrderSagaData>({
    ...orderSaga,
    onStarted: (state) => [{ type: 'OrderPlaced', data: { orderId: state.data.orderId } }],
  });

  it('when the saga starts, then its start messages come in the first write, before the first command', () => {
    const { commands } = startSaga(placingSaga, 'order-1', anOrder(), t0);
    expect(commands.map((command) => command.type)).toEqual(['OrderPlaced', 'ReserveStock']);
    expect(commands[0]?.data).toEqual({ orderId: 'order-1' });
  });

  it('when a later transition happens, then the start messages are not sent again', () => {
    const { state } = startSaga(placingSaga, 'order-1', anOrder(), t0);
    const next = transition(placingSaga, state, { kind: 'reply', reply: reply('StockReserved') }, t0);
    expect(next.commands.map((command) => command.type)).toEqual(['AuthorizePayment']);
  });
});

describe('outcome messages through the orchestrator, store and relay', () => {
  let documents: Map<string, SagaDocument>;
  let bus: InMemoryMessageBus;
  let relay: OutboxRelay;
  let participants: FakeParticipants;
  let subscriptions: RunningSubscription[];
  let outcomes: IncomingMessage[];

  beforeEach(async () => {
    documents = new Map();
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
    outcomes = [];
    subscriptions = [
      await bus.subscribe({
        groupId: 'outcome-recorder',
        handlers: [OrderConfirmed, OrderCancelled].map((definition) => ({
          topic: definition.topic,
          type: definition.type,
          handle: async (message: IncomingMessage) => void outcomes.push(message),
        })),
      }),
    ];
  });

  afterEach(async () => {
    await relay.stop();
    await Promise.all(subscriptions.map((subscription) => subscription.stop()));
    await participants.stop();
  });

  it('when the saga completes, then OrderConfirmed is published once, correlated with the saga, after the state was saved', async () => {
    const store = new InMemorySagaStore(documents);
    const orchestrator = new SagaOrchestrator({ definition: announcingSaga, store });
    subscriptions.push(await bus.subscribe(orchestrator.subscription('order-saga')));
    await orchestrator.start('order-7', anOrder('order-7'));
    const [confirmed] = await eventually(async () => (outcomes.length > 0 ? outcomes : undefined));
    expect(confirmed).toMatchObject({
      type: OrderConfirmed.type,
      key: 'order-7',
      correlationId: 'order-7',
      data: {
        orderId: 'order-7',
        userId: 'user-1',
        paymentId: 'pay-order-7',
        totalCents: 1500,
        currency: 'EUR',
      },
    });
    expect((await store.load('order-7'))?.status).toBe('COMPLETED');
  });

  it('when the payment is declined, then OrderCancelled carries the reason once the stock is released', async () => {
    participants.payment = 'decline';
    const orchestrator = new SagaOrchestrator({
      definition: announcingSaga,
      store: new InMemorySagaStore(documents),
    });
    subscriptions.push(await bus.subscribe(orchestrator.subscription('order-saga')));
    await orchestrator.start('order-8', anOrder('order-8'));
    const [cancelled] = await eventually(async () => (outcomes.length > 0 ? outcomes : undefined));
    expect(cancelled).toMatchObject({
      type: OrderCancelled.type,
      data: { orderId: 'order-8', userId: 'user-1', reason: 'PAYMENT_DECLINED' },
    });
    expect(participants.received).toEqual(['ReserveStock', 'AuthorizePayment', 'ReleaseStock']);
  });
});
