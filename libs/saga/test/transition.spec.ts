import { defineSaga, startSaga, transition, type SagaReply, type SagaState } from '../src';
import { anOrder, orderSaga, type OrderSagaData } from './support/order-saga';

const t0 = 1_000_000;
let replies = 0;
const reply = (type: string, data: unknown = { orderId: 'order-1' }): SagaReply => ({
  id: `reply-${++replies}`,
  type,
  data,
});
const authorized = () =>
  reply('PaymentAuthorized', { orderId: 'order-1', paymentId: 'pay-1', amountCents: 1500, currency: 'EUR' });

function run(events: (SagaReply | 'deadline')[], at = t0) {
  let { state, commands } = startSaga(orderSaga, 'order-1', anOrder(), t0);
  const sent = [...commands];
  for (const event of events) {
    const next = transition(
      orderSaga,
      state,
      event === 'deadline' ? { kind: 'deadline' } : { kind: 'reply', reply: event },
      event === 'deadline' ? (state.deadline ?? at) : at,
    );
    state = next.state;
    commands = next.commands;
    sent.push(...next.commands);
  }
  return { state, commands, sent: sent.map((command) => command.type) };
}

describe('defineSaga', () => {
  const step = {
    name: 'a',
    command: () => ({ type: 'A', data: {} }),
    replies: { Done: 'success' as const },
    timeoutMs: 10,
  };
  it('rejects a saga without steps, a duplicated step, a reply claimed by two steps, a non-positive timeout and a step both retried and compensated on timeout', () => {
    expect(() => defineSaga({ name: 's', steps: [] })).toThrow('no steps');
    expect(() => defineSaga({ name: 's', steps: [step, step] })).toThrow('twice');
    expect(() => defineSaga({ name: 's', steps: [step, { ...step, name: 'b' }] })).toThrow(
      'declared by steps a and b',
    );
    expect(() => defineSaga({ name: 's', steps: [{ ...step, timeoutMs: 0 }] })).toThrow('positive timeoutMs');
    expect(() => defineSaga({ name: 's', steps: [step], maxCompensationAttempts: 0 })).toThrow(
      'maxCompensationAttempts',
    );
    expect(() =>
      defineSaga({ name: 's', steps: [{ ...step, retryOnTimeout: true, compensateOnTimeout: true }] }),
    ).toThrow('cannot both retry and compensate');
  });
});

describe('transition of the order saga', () => {
  it('when started, then it runs reserve-stock with its deadline and sends ReserveStock', () => {
    const { state, sent } = run([]);
    expect(state).toMatchObject({ status: 'RUNNING', step: 'reserve-stock', deadline: t0 + 30_000 });
    expect(sent).toEqual(['ReserveStock']);
  });

  it('when every step succeeds, then each reply sends the next command and the last one completes the saga', () => {
    const { state, sent } = run([reply('StockReserved'), authorized(), reply('StockCommitted')]);
    expect(sent).toEqual(['ReserveStock', 'AuthorizePayment', 'CommitStock']);
    expect(state).toMatchObject({
      status: 'COMPLETED',
      deadline: null,
      done: ['reserve-stock', 'authorize-payment', 'commit-stock'],
    });
    expect(state.data.paymentId).toBe('pay-1');
  });

  it('when the stock is rejected, then nothing is to undo and the saga is cancelled OUT_OF_STOCK at once', () => {
    const { state, sent } = run([reply('StockRejected')]);
    expect(sent).toEqual(['ReserveStock']);
    expect(state).toMatchObject({ status: 'CANCELLED', reason: 'OUT_OF_STOCK' });
  });

  it('when the payment is declined, then the stock is released and the saga cancelled PAYMENT_DECLINED once the release is confirmed', () => {
    const declined = run([reply('StockReserved'), reply('PaymentDeclined')]);
    expect(declined.commands).toEqual([{ type: 'ReleaseStock', data: { orderId: 'order-1' } }]);
    expect(declined.state).toMatchObject({
      status: 'COMPENSATING',
      step: 'reserve-stock',
      reason: 'PAYMENT_DECLINED',
    });
    const released = run([reply('StockReserved'), reply('PaymentDeclined'), reply('StockReleased')]);
    expect(released.state).toMatchObject({ status: 'CANCELLED', reason: 'PAYMENT_DECLINED', deadline: null });
    expect(released.state.history.map((entry) => entry.to)).toEqual([
      'RUNNING',
      'RUNNING',
      'COMPENSATING',
      'CANCELLED',
    ]);
  });

  it('when the payment fails, then the reason is PAYMENT_UNAVAILABLE', () => {
    const { state } = run([reply('StockReserved'), reply('PaymentFailed'), reply('StockReleased')]);
    expect(state).toMatchObject({ status: 'CANCELLED', reason: 'PAYMENT_UNAVAILABLE' });
  });

  it('when the payment deadline passes, then the payment in doubt is refunded and the stock released, reason TIMEOUT', () => {
    const timedOut = run([reply('StockReserved'), 'deadline']);
    expect(timedOut.commands).toEqual([
      { type: 'RefundPayment', data: { orderId: 'order-1', reason: 'TIMEOUT' } },
      { type: 'ReleaseStock', data: { orderId: 'order-1' } },
    ]);
    const cancelled = run([reply('StockReserved'), 'deadline', reply('StockReleased')]);
    expect(cancelled.state).toMatchObject({ status: 'CANCELLED', reason: 'TIMEOUT' });
  });

  it('when the deadline has not passed yet, then the clock changes nothing', () => {
    const { state } = startSaga(orderSaga, 'order-1', anOrder(), t0);
    expect(transition(orderSaga, state, { kind: 'deadline' }, t0 + 29_999)).toEqual({
      state,
      commands: [],
      changed: false,
    });
  });

  it('when PaymentAuthorized arrives after the timeout, then that late success gets its own RefundPayment with the payment id', () => {
    const { commands, state } = run([
      reply('StockReserved'),
      'deadline',
      reply('StockReleased'),
      authorized(),
    ]);
    expect(commands).toEqual([
      {
        type: 'RefundPayment',
        data: { orderId: 'order-1', paymentId: 'pay-1', reason: 'LATE_AUTHORIZATION' },
      },
    ]);
    expect(state.status).toBe('CANCELLED');
  });

  it('when a late failure reply arrives, or a reply of a step never started, then nothing changes', () => {
    const cancelled = run([reply('StockRejected')]).state;
    expect(transition(orderSaga, cancelled, { kind: 'reply', reply: authorized() }, t0).changed).toBe(false);
    const declinedAfterTimeout = run([reply('StockReserved'), 'deadline']).state;
    expect(
      transition(orderSaga, declinedAfterTimeout, { kind: 'reply', reply: reply('PaymentDeclined') }, t0)
        .changed,
    ).toBe(false);
  });

  it('when a reply is redelivered (same ce_id), then the second delivery changes nothing', () => {
    const { state } = startSaga(orderSaga, 'order-1', anOrder(), t0);
    const reserved = reply('StockReserved');
    const first = transition(orderSaga, state, { kind: 'reply', reply: reserved }, t0);
    expect(first.commands.map((command) => command.type)).toEqual(['AuthorizePayment']);
    expect(transition(orderSaga, first.state, { kind: 'reply', reply: reserved }, t0)).toEqual({
      state: first.state,
      commands: [],
      changed: false,
    });
  });

  it('when a reply of a step already done comes again with another ce_id, or an unknown reply type comes, then nothing changes', () => {
    const afterReserve = run([reply('StockReserved')]).state;
    expect(
      transition(orderSaga, afterReserve, { kind: 'reply', reply: reply('StockReserved') }, t0).changed,
    ).toBe(false);
    expect(
      transition(orderSaga, afterReserve, { kind: 'reply', reply: reply('SomethingElse') }, t0).changed,
    ).toBe(false);
    expect(
      transition(orderSaga, afterReserve, { kind: 'reply', reply: reply('StockReleased') }, t0).changed,
    ).toBe(false);
  });

  it('when the release keeps timing out, then it is re-sent with a counter and the saga parks in COMPENSATION_FAILED after the last attempt', () => {
    let state: SagaState<OrderSagaData> = run([reply('StockReserved'), reply('PaymentDeclined')]).state;
    const resent: string[] = [];
    for (let attempt = 2; attempt <= 3; attempt++) {
      const next = transition(orderSaga, state, { kind: 'deadline' }, state.deadline!);
      resent.push(...next.commands.map((command) => command.type));
      state = next.state;
      expect(state).toMatchObject({ status: 'COMPENSATING', compensationAttempts: attempt });
    }
    expect(resent).toEqual(['ReleaseStock', 'ReleaseStock']);
    const parked = transition(orderSaga, state, { kind: 'deadline' }, state.deadline!);
    expect(parked).toMatchObject({ commands: [], state: { status: 'COMPENSATION_FAILED', deadline: null } });
    expect(transition(orderSaga, parked.state, { kind: 'deadline' }, t0 + 10 ** 9).changed).toBe(false);
  });

  it('when a compensation is refused by a failure reply, then it is retried like a timeout', () => {
    const saga = defineSaga<{ id: string }>({
      name: 'two-steps',
      maxCompensationAttempts: 2,
      steps: [
        {
          name: 'hold',
          command: () => ({ type: 'Hold', data: {} }),
          replies: { Held: 'success' },
          compensation: {
            command: () => ({ type: 'Unhold', data: {} }),
            replies: { Unheld: 'success', UnholdFailed: 'failure' },
          },
          timeoutMs: 100,
        },
        {
          name: 'charge',
          command: () => ({ type: 'Charge', data: {} }),
          replies: { Charged: 'success', Refused: { fail: 'REFUSED' } },
          timeoutMs: 100,
        },
      ],
    });
    let { state } = startSaga(saga, 's-1', { id: 's-1' }, t0);
    state = transition(saga, state, { kind: 'reply', reply: reply('Held') }, t0).state;
    state = transition(saga, state, { kind: 'reply', reply: reply('Refused') }, t0).state;
    const retried = transition(saga, state, { kind: 'reply', reply: reply('UnholdFailed') }, t0);
    expect(retried.commands).toEqual([{ type: 'Unhold', data: {} }]);
    expect(retried.state.compensationAttempts).toBe(2);
    const parked = transition(saga, retried.state, { kind: 'reply', reply: reply('UnholdFailed') }, t0);
    expect(parked.state.status).toBe('COMPENSATION_FAILED');
  });

  it('when the commit deadline passes after the payment, then CommitStock is sent again, waiting 2×, 4×, 8×, 8× its timeout, and nothing is undone', () => {
    let { state } = run([reply('StockReserved'), authorized()]);
    const waits: number[] = [];
    for (let retry = 1; retry <= 4; retry++) {
      const at = state.deadline!;
      const next = transition(orderSaga, state, { kind: 'deadline' }, at);
      expect(next.commands).toEqual([{ type: 'CommitStock', data: { orderId: 'order-1' } }]);
      state = next.state;
      waits.push(state.deadline! - at);
    }
    expect(waits).toEqual([60_000, 120_000, 240_000, 240_000]);
    expect(state).toMatchObject({ status: 'RUNNING', step: 'commit-stock', toUndo: [], reason: null });
    expect(state.history.filter((entry) => entry.reason === 'RETRY')).toHaveLength(4);

    const completed = transition(orderSaga, state, { kind: 'reply', reply: reply('StockCommitted') }, t0);
    expect(completed.state).toMatchObject({ status: 'COMPLETED', deadline: null });
  });

  it('when a timeout hits a step that neither retries nor compensates, then only the done steps are undone', () => {
    const saga = defineSaga<{ id: string }>({
      name: 'hold-then-ship',
      steps: [
        {
          name: 'hold',
          command: () => ({ type: 'Hold', data: {} }),
          replies: { Held: 'success' },
          compensation: { command: () => ({ type: 'Unhold', data: {} }) },
          timeoutMs: 100,
        },
        {
          name: 'ship',
          command: () => ({ type: 'Ship', data: {} }),
          replies: { Shipped: 'success' },
          timeoutMs: 100,
        },
      ],
    });
    let { state } = startSaga(saga, 's-1', { id: 's-1' }, t0);
    state = transition(saga, state, { kind: 'reply', reply: reply('Held') }, t0).state;
    const timedOut = transition(saga, state, { kind: 'deadline' }, state.deadline!);
    expect(timedOut.commands).toEqual([{ type: 'Unhold', data: {} }]);
    expect(timedOut.state).toMatchObject({ status: 'CANCELLED', reason: 'TIMEOUT' });
  });
});
