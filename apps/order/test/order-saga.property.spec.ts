import fc from 'fast-check';
import { isFinished, startSaga, transition, type OutgoingCommand, type SagaState } from '@platform/saga';
import type { OrderSagaData } from '../src/domain/order-saga-data';
import { orderSagaDefinition } from '../src/saga/order-saga';

/**
 * The order saga's transition() fed arbitrary interleavings of what the world can send it: every
 * reply type, in any order, duplicated (the same reply id again), late, and deadlines firing at any
 * time in between. Whatever arrives, the promises of docs/events.md#invariants hold.
 */
const timeouts = { stockMs: 1000, paymentMs: 2000, compensationMs: 1000 };
const definition = orderSagaDefinition(timeouts);
const data: OrderSagaData = {
  orderId: 'order-1',
  userId: 'alice',
  items: [{ sku: 'TEA-GREEN', quantity: 2, unitPriceCents: 650 }],
  amountCents: 1300,
  currency: 'EUR',
  paymentMethod: 'tok_visa',
};

type WorldEvent =
  | { kind: 'reply'; type: string; id: string; paymentId: string; after: number }
  /** One of the replies the saga awaits now (`choice` picks which), as a well-behaved service sends it. */
  | { kind: 'awaited'; choice: number; id: string; paymentId: string; after: number }
  | { kind: 'deadline'; after: number };

const replyTypes = [
  'StockReserved',
  'StockRejected',
  'StockReleased',
  'StockCommitted',
  'PaymentAuthorized',
  'PaymentDeclined',
  'PaymentFailed',
];

/** What the current step or compensation waits for: success first, then its failures. */
const awaitedReplies: Record<string, string[]> = {
  'RUNNING/reserve-stock': ['StockReserved', 'StockReserved', 'StockRejected'],
  'RUNNING/authorize-payment': ['PaymentAuthorized', 'PaymentAuthorized', 'PaymentDeclined', 'PaymentFailed'],
  'RUNNING/commit-stock': ['StockCommitted'],
  'COMPENSATING/reserve-stock': ['StockReleased'],
};

/**
 * A few ids and charges, so that the same reply comes again and two charges can both happen; half
 * of the events are replies the saga awaits, so runs get to their end as often as they go astray.
 */
const worldEvent: fc.Arbitrary<WorldEvent> = fc.oneof(
  fc.record({
    kind: fc.constant('awaited' as const),
    choice: fc.nat(),
    id: fc.constantFrom('r1', 'r2', 'r3', 'r4', 'r5', 'r6'),
    paymentId: fc.constantFrom('pay-1', 'pay-2'),
    after: fc.integer({ min: 0, max: 1500 }),
  }),
  fc.record({
    kind: fc.constant('reply' as const),
    type: fc.constantFrom(...replyTypes),
    id: fc.constantFrom('r1', 'r2', 'r3', 'r4'),
    paymentId: fc.constantFrom('pay-1', 'pay-2'),
    after: fc.integer({ min: 0, max: 5000 }),
  }),
  fc.record({ kind: fc.constant('deadline' as const), after: fc.integer({ min: 0, max: 20_000 }) }),
);

type ReplyEvent = Extract<WorldEvent, { kind: 'reply' }>;

interface Run {
  states: SagaState<OrderSagaData>[];
  commands: OutgoingCommand[];
  /** The replies that changed the saga. */
  handled: ReplyEvent[];
  /** The charges made: PaymentAuthorized replies once the saga had asked for a payment. */
  charges: Set<string>;
}

const replyOf = (event: ReplyEvent) => ({
  kind: 'reply' as const,
  // A message id names one message: the same id again is the same reply (its type included).
  reply: {
    type: event.type,
    id: `${event.type}:${event.id}`,
    data: { orderId: 'order-1', paymentId: event.paymentId },
  },
});

function run(events: WorldEvent[]): Run {
  let now = 0;
  const started = startSaga(definition, 'order-1', data, now);
  const states = [started.state];
  const commands = [...started.commands];
  const handled: ReplyEvent[] = [];
  const charges = new Set<string>();
  let state = started.state;
  for (const worldEvent of events) {
    now += worldEvent.after;
    const event = resolved(worldEvent, state);
    const next = transition(
      definition,
      state,
      event.kind === 'deadline' ? { kind: 'deadline' } : replyOf(event),
      now,
    );
    if (event.kind === 'reply' && next.changed) handled.push(event);
    // Once AuthorizePayment is out, an authorization reply means a real charge, heeded or not.
    if (
      event.kind === 'reply' &&
      event.type === 'PaymentAuthorized' &&
      state.started.includes('authorize-payment')
    )
      charges.add(event.paymentId);
    if (!next.changed) expect(next.commands).toEqual([]);
    state = next.changed ? next.state : state;
    states.push(state);
    commands.push(...next.commands);
  }
  return { states, commands, handled, charges };
}

/** An awaited reply as the reply type the saga waits for now; a deadline when it waits for none. */
function resolved(event: WorldEvent, state: SagaState<OrderSagaData>): ReplyEvent | { kind: 'deadline' } {
  if (event.kind !== 'awaited') return event;
  const awaited = awaitedReplies[`${state.status}/${state.step}`];
  if (!awaited) return { kind: 'deadline' };
  return { ...event, kind: 'reply', type: awaited[event.choice % awaited.length] as string };
}

const ofType = (commands: OutgoingCommand[], type: string) =>
  commands.filter((command) => command.type === type);
const settings = { numRuns: 2000, seed: 20261204 };

describe('the order saga under arbitrary replies and deadlines (fast-check)', () => {
  it('when it has reached a final status, then it never leaves it', () => {
    fc.assert(
      fc.property(fc.array(worldEvent, { maxLength: 30 }), (events) => {
        const { states } = run(events);
        const firstFinal = states.findIndex((state) => isFinished(state));
        if (firstFinal < 0) return;
        for (const later of states.slice(firstFinal)) expect(later.status).toBe(states[firstFinal]?.status);
      }),
      settings,
    );
  });

  it('when replies and deadlines arrive in any order, then the order is announced at most once, confirmed or cancelled, never both', () => {
    fc.assert(
      fc.property(fc.array(worldEvent, { maxLength: 30 }), (events) => {
        const { commands, states } = run(events);
        const outcomes = [...ofType(commands, 'OrderConfirmed'), ...ofType(commands, 'OrderCancelled')];
        expect(outcomes.length).toBeLessThanOrEqual(1);
        const final = states.at(-1);
        if (final?.status === 'COMPLETED') expect(ofType(commands, 'OrderConfirmed')).toHaveLength(1);
        if (final?.status === 'CANCELLED') expect(ofType(commands, 'OrderCancelled')).toHaveLength(1);
      }),
      settings,
    );
  });

  it('when a reply it has handled is delivered again, then it changes nothing and sends nothing', () => {
    fc.assert(
      fc.property(
        fc.array(worldEvent, { maxLength: 30 }),
        fc.nat(),
        fc.nat({ max: 100_000 }),
        (events, pick, later) => {
          const { states, handled } = run(events);
          if (handled.length === 0) return;
          const again = handled[pick % handled.length] as ReplyEvent;
          const repeated = transition(
            definition,
            states.at(-1) as SagaState<OrderSagaData>,
            replyOf(again),
            1_000_000 + later,
          );
          expect(repeated.changed).toBe(false);
          expect(repeated.commands).toEqual([]);
        },
      ),
      settings,
    );
  });

  it('when the order ends cancelled, then every charge made is refunded and reserved stock is released', () => {
    fc.assert(
      fc.property(fc.array(worldEvent, { maxLength: 30 }), (events) => {
        const { states, commands, charges } = run(events);
        const final = states.at(-1) as SagaState<OrderSagaData>;
        if (final.status !== 'CANCELLED') return;
        const refunds = ofType(commands, 'RefundPayment').map(
          (command) => command.data as { paymentId?: string },
        );
        // A refund without a charge id (after a timeout) refunds whatever the payment service authorized.
        const refundsWhatever = refunds.some((refund) => refund.paymentId === undefined);
        for (const paymentId of charges)
          expect({
            paymentId,
            refunded: refundsWhatever || refunds.some((refund) => refund.paymentId === paymentId),
          }).toEqual({
            paymentId,
            refunded: true,
          });
        if (final.done.includes('reserve-stock'))
          expect(ofType(commands, 'ReleaseStock').length).toBeGreaterThan(0);
      }),
      settings,
    );
  });

  it('when the order is confirmed, then its kept charge is never refunded, and it was committed', () => {
    fc.assert(
      fc.property(fc.array(worldEvent, { maxLength: 30 }), (events) => {
        const { states, commands } = run(events);
        const final = states.at(-1) as SagaState<OrderSagaData>;
        if (final.status !== 'COMPLETED') return;
        expect(final.data.paymentId).toBeDefined();
        const refunded = ofType(commands, 'RefundPayment').map(
          (command) => (command.data as { paymentId?: string }).paymentId,
        );
        expect(refunded).not.toContain(final.data.paymentId);
        expect(refunded).not.toContain(undefined);
        expect(ofType(commands, 'CommitStock').length).toBeGreaterThan(0);
        expect(ofType(commands, 'ReleaseStock')).toEqual([]);
      }),
      settings,
    );
  });

  it('when the payment was authorized in its step, then nothing cancels the order any more', () => {
    fc.assert(
      fc.property(fc.array(worldEvent, { maxLength: 30 }), (events) => {
        const { states } = run(events);
        const pastPivot = states.findIndex(
          (state) => state.status === 'RUNNING' && state.step === 'commit-stock',
        );
        if (pastPivot < 0) return;
        for (const later of states.slice(pastPivot)) expect(['RUNNING', 'COMPLETED']).toContain(later.status);
      }),
      settings,
    );
  });
});
