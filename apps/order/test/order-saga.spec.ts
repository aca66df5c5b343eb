import { anOrderBody } from './support/order-client';
import { startOrderHarness, type OrderHarness } from './support/order-app';

/**
 * The saga of docs/events.md#order-saga driven by hand: the test answers each command as inventory
 * and payment would.
 */
describe('the order saga with replies fed by hand (embedded)', () => {
  let harness: OrderHarness;
  beforeAll(async () => {
    harness = await startOrderHarness();
  });
  afterAll(() => harness.close());

  /** Places an order (2 × TEA-GREEN at 650) and waits for its ReserveStock. */
  async function anOrderAwaitingStock(): Promise<string> {
    const reply = await harness.users.alice.place(anOrderBody());
    if (reply.status !== 202) throw new Error(`place answered ${reply.status}`);
    await harness.messages.waitFor(reply.body.orderId, 'ReserveStock');
    return reply.body.orderId;
  }

  async function anOrderAwaitingPayment(): Promise<string> {
    const orderId = await anOrderAwaitingStock();
    await harness.messages.stockReserved(orderId);
    await harness.messages.waitFor(orderId, 'AuthorizePayment');
    return orderId;
  }

  const orderOf = async (orderId: string) => (await harness.users.alice.order(orderId)).body;

  it('when stock is reserved, payment authorized and stock committed, then the order is CONFIRMED and OrderConfirmed published', async () => {
    const orderId = await anOrderAwaitingStock();
    await harness.messages.stockReserved(orderId);
    const authorize = await harness.messages.waitFor(orderId, 'AuthorizePayment');
    expect(authorize).toMatchObject({
      correlationId: orderId,
      data: { orderId, userId: 'alice', amountCents: 1300, currency: 'EUR', paymentMethod: 'tok_visa' },
    });
    await harness.messages.paymentAuthorized(orderId, 'pay-happy');
    expect((await harness.messages.waitFor(orderId, 'CommitStock')).data).toEqual({ orderId });
    expect((await orderOf(orderId)).status).toBe('PENDING');
    await harness.messages.stockCommitted(orderId);

    const confirmed = await harness.messages.waitFor(orderId, 'OrderConfirmed');
    expect(confirmed.data).toEqual({
      orderId,
      userId: 'alice',
      paymentId: 'pay-happy',
      totalCents: 1300,
      currency: 'EUR',
    });
    const order = await orderOf(orderId);
    expect(order).toMatchObject({ status: 'CONFIRMED', paymentId: 'pay-happy' });
    expect(order.failureReason).toBeUndefined();
    expect(order.history.map((change: { status: string }) => change.status)).toEqual([
      'PENDING',
      'CONFIRMED',
    ]);
    expect(order.updatedAt).toBe(order.history[1].at);
    expect(harness.messages.namesFor(orderId)).toEqual([
      'OrderPlaced',
      'ReserveStock',
      'AuthorizePayment',
      'CommitStock',
      'OrderConfirmed',
    ]);
  });

  it('when the stock is rejected, then the order is CANCELLED with OUT_OF_STOCK and nothing is charged', async () => {
    const orderId = await anOrderAwaitingStock();
    await harness.messages.stockRejected(orderId);
    const cancelled = await harness.messages.waitFor(orderId, 'OrderCancelled');
    expect(cancelled.data).toEqual({ orderId, userId: 'alice', reason: 'OUT_OF_STOCK' });
    expect(await orderOf(orderId)).toMatchObject({ status: 'CANCELLED', failureReason: 'OUT_OF_STOCK' });
    expect(harness.messages.namesFor(orderId)).toEqual(['OrderPlaced', 'ReserveStock', 'OrderCancelled']);
  });

  it('when the payment is declined, then the stock is released first and the order CANCELLED with PAYMENT_DECLINED once the release is confirmed', async () => {
    const orderId = await anOrderAwaitingPayment();
    await harness.messages.paymentDeclined(orderId);
    expect((await harness.messages.waitFor(orderId, 'ReleaseStock')).data).toEqual({ orderId });
    // Compensating is still pending for the customer.
    expect((await orderOf(orderId)).status).toBe('PENDING');
    await harness.messages.stockReleased(orderId);

    await harness.messages.waitFor(orderId, 'OrderCancelled');
    const order = await orderOf(orderId);
    expect(order).toMatchObject({ status: 'CANCELLED', failureReason: 'PAYMENT_DECLINED' });
    expect(order.history.map((change: { status: string }) => change.status)).toEqual([
      'PENDING',
      'CANCELLED',
    ]);
    expect(harness.messages.namesFor(orderId)).toEqual([
      'OrderPlaced',
      'ReserveStock',
      'AuthorizePayment',
      'ReleaseStock',
      'OrderCancelled',
    ]);
  });

  it('when the payment fails, then the stock is released and the order CANCELLED with PAYMENT_UNAVAILABLE', async () => {
    const orderId = await anOrderAwaitingPayment();
    await harness.messages.paymentFailed(orderId);
    await harness.messages.waitFor(orderId, 'ReleaseStock');
    await harness.messages.stockReleased(orderId);
    const cancelled = await harness.messages.waitFor(orderId, 'OrderCancelled');
    expect(cancelled.data.reason).toBe('PAYMENT_UNAVAILABLE');
    expect(await orderOf(orderId)).toMatchObject({
      status: 'CANCELLED',
      failureReason: 'PAYMENT_UNAVAILABLE',
    });
  });

  it('when PaymentAuthorized comes twice (redelivered, and re-emitted with a new id), then the stock is committed once', async () => {
    const orderId = await anOrderAwaitingPayment();
    await harness.messages.paymentAuthorized(orderId, 'pay-dup', 'authorized-once');
    await harness.messages.paymentAuthorized(orderId, 'pay-dup', 'authorized-once');
    await harness.messages.paymentAuthorized(orderId, 'pay-dup');
    await harness.messages.waitFor(orderId, 'CommitStock');
    await harness.messages.stockCommitted(orderId);
    // The relay publishes an order's messages in the order they were saved: whatever the duplicates
    // had caused would come before OrderConfirmed.
    await harness.messages.waitFor(orderId, 'OrderConfirmed');
    expect(harness.messages.namesFor(orderId).filter((name) => name === 'CommitStock')).toHaveLength(1);
    expect((await orderOf(orderId)).status).toBe('CONFIRMED');
  });

  it('when a reply comes for an order this service does not know, then it is ignored and the service carries on', async () => {
    await harness.messages.stockReserved('ffffffff-0000-4000-8000-000000000000');
    const orderId = await anOrderAwaitingStock();
    await harness.messages.stockRejected(orderId);
    await harness.messages.waitFor(orderId, 'OrderCancelled');
  });
});
