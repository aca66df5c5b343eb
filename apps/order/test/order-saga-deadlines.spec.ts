import { eventually } from '@platform/testing';
import { anOrderBody } from './support/order-client';
import { startOrderHarness, type OrderHarness } from './support/order-app';

/** Step deadlines, shortened so they pass during the test; the saga clock ticks often. */
describe('the order saga when replies do not come (embedded)', () => {
  const orderOf = async (harness: OrderHarness, orderId: string) =>
    (await harness.users.alice.order(orderId)).body;

  async function anOrderAwaitingPayment(harness: OrderHarness): Promise<string> {
    const reply = await harness.users.alice.place(anOrderBody());
    if (reply.status !== 202) throw new Error(`place answered ${reply.status}`);
    const orderId = reply.body.orderId;
    await harness.messages.waitFor(orderId, 'ReserveStock');
    await harness.messages.stockReserved(orderId);
    await harness.messages.waitFor(orderId, 'AuthorizePayment');
    return orderId;
  }

  describe('when the payment deadline passes', () => {
    let harness: OrderHarness;
    beforeAll(async () => {
      harness = await startOrderHarness({ ORDER_PAYMENT_TIMEOUT_MS: '300', ORDER_SAGA_TICK_MS: '20' });
    });
    afterAll(() => harness.close());

    it('then the payment in doubt is refunded, the stock released, and the order CANCELLED with TIMEOUT; a late PaymentAuthorized is refunded by its payment id', async () => {
      const orderId = await anOrderAwaitingPayment(harness);

      const refund = await harness.messages.waitFor(orderId, 'RefundPayment');
      expect(refund.data).toEqual({ orderId, reason: 'TIMEOUT' });
      await harness.messages.waitFor(orderId, 'ReleaseStock');
      expect((await orderOf(harness, orderId)).status).toBe('PENDING');
      await harness.messages.stockReleased(orderId);
      const cancelled = await harness.messages.waitFor(orderId, 'OrderCancelled');
      expect(cancelled.data).toEqual({ orderId, userId: 'alice', reason: 'TIMEOUT' });
      expect(await orderOf(harness, orderId)).toMatchObject({
        status: 'CANCELLED',
        failureReason: 'TIMEOUT',
      });

      await harness.messages.paymentAuthorized(orderId, 'pay-late');
      const lateRefund = await harness.messages.waitFor(orderId, 'RefundPayment', 2);
      expect(lateRefund.data).toEqual({ orderId, paymentId: 'pay-late', reason: 'LATE_AUTHORIZATION' });
      const order = await orderOf(harness, orderId);
      expect(order).toMatchObject({ status: 'CANCELLED', failureReason: 'TIMEOUT' });
      expect(order.paymentId).toBeUndefined();
      expect(harness.messages.namesFor(orderId).filter((name) => name === 'OrderCancelled')).toHaveLength(1);
      expect(harness.messages.namesFor(orderId)).not.toContain('CommitStock');
    });
  });

  describe('when the stock release is never confirmed', () => {
    let harness: OrderHarness;
    beforeAll(async () => {
      harness = await startOrderHarness({ ORDER_COMPENSATION_TIMEOUT_MS: '30', ORDER_SAGA_TICK_MS: '10' });
    });
    afterAll(() => harness.close());

    it('then ReleaseStock is sent again until the saga parks, and the order shows COMPENSATION_FAILED with its reason', async () => {
      const orderId = await anOrderAwaitingPayment(harness);
      await harness.messages.paymentDeclined(orderId);

      const parked = await eventuallyStatus(harness, orderId, 'COMPENSATION_FAILED');
      expect(parked.failureReason).toBe('PAYMENT_DECLINED');
      expect(parked.history.map((change: { status: string }) => change.status)).toEqual([
        'PENDING',
        'COMPENSATION_FAILED',
      ]);
      expect(
        harness.messages.namesFor(orderId).filter((name) => name === 'ReleaseStock').length,
      ).toBeGreaterThan(1);
      expect(harness.messages.namesFor(orderId)).not.toContain('OrderCancelled');
      const metrics = await fetch(`${harness.order.baseUrl}/metrics`).then((response) => response.text());
      expect(metrics).toMatch(/saga_compensation_failed_total\{[^}]*saga="order"[^}]*\} 1/);
    });
  });

  describe('when inventory does not answer CommitStock by its deadline', () => {
    let harness: OrderHarness;
    beforeAll(async () => {
      harness = await startOrderHarness({ ORDER_STOCK_TIMEOUT_MS: '1000', ORDER_SAGA_TICK_MS: '20' });
    });
    afterAll(() => harness.close());

    it('then the paid order is not cancelled: CommitStock is sent again, waiting longer each time, and a late StockCommitted confirms it', async () => {
      const orderId = await anOrderAwaitingPayment(harness);
      await harness.messages.paymentAuthorized(orderId);

      await harness.messages.waitFor(orderId, 'CommitStock', 3);
      const order = await orderOf(harness, orderId);
      expect(order.status).toBe('PENDING');
      const names = harness.messages.namesFor(orderId);
      expect(names).not.toContain('RefundPayment');
      expect(names).not.toContain('ReleaseStock');
      const metrics = await fetch(`${harness.order.baseUrl}/metrics`).then((response) => response.text());
      expect(metrics).toMatch(/saga_step_retries_total\{[^}]*step="commit-stock"[^}]*\} [2-9]/);

      await harness.messages.stockCommitted(orderId);
      const confirmed = await eventuallyStatus(harness, orderId, 'CONFIRMED');
      expect(confirmed.history.map((change: { status: string }) => change.status)).toEqual([
        'PENDING',
        'CONFIRMED',
      ]);
      await harness.messages.waitFor(orderId, 'OrderConfirmed');
      expect(harness.messages.namesFor(orderId)).not.toContain('RefundPayment');
    });
  });

  const eventuallyStatus = (harness: OrderHarness, orderId: string, status: string) =>
    eventually(
      async () => {
        const order = await orderOf(harness, orderId);
        return order.status === status ? order : undefined;
      },
      15_000,
      10,
    );
});
