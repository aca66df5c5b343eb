import { randomUUID } from 'node:crypto';
import type { EventOrigin, NewPayment, VoidedPaymentDraft } from '../../src/domain/payment';
import type { PaymentStore } from '../../src/store/payment-store.port';

const origin: EventOrigin = {
  traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
  tracestate: null,
  correlationId: 'saga-1',
};
const refundOrigin: EventOrigin = { traceparent: null, tracestate: 'vendor=1', correlationId: 'saga-2' };

const aDraft = (overrides: Partial<NewPayment> = {}): NewPayment => ({
  paymentId: randomUUID(),
  orderId: randomUUID(),
  userId: randomUUID(),
  amountCents: 2599,
  currency: 'EUR',
  paymentMethod: 'tok_visa',
  createdAt: new Date('2026-01-01T10:00:00.000Z'),
  origin,
  ...overrides,
});
const aVoidedDraft = (orderId: string): VoidedPaymentDraft => ({
  paymentId: randomUUID(),
  orderId,
  createdAt: new Date('2026-01-01T10:05:00.000Z'),
  origin: refundOrigin,
});
const farFuture = new Date('2100-01-01T00:00:00.000Z');

/** What every PaymentStore adapter must do; run against the in-memory and Cassandra adapters. */
export function describePaymentStoreContract(name: string, createStore: () => Promise<PaymentStore>): void {
  describe(`PaymentStore contract (${name})`, () => {
    let store: PaymentStore;
    beforeEach(async () => {
      store = await createStore();
    });

    describe('claiming', () => {
      it('when an order is claimed first, then its payment is stored PENDING with the draft and its origin', async () => {
        const draft = aDraft();
        expect(await store.claim(draft)).toMatchObject({ ...draft, status: 'PENDING', chargeId: null });
        expect(await store.find(draft.orderId)).toEqual({
          ...draft,
          status: 'PENDING',
          chargeId: null,
          reason: null,
          detail: null,
          refundId: null,
          refundRequested: false,
          refundOrigin: null,
        });
      });

      it('when an order is claimed again, then the first payment id is kept whatever the later draft says', async () => {
        const first = aDraft();
        await store.claim(first);
        const again = await store.claim(aDraft({ orderId: first.orderId, amountCents: 1 }));
        expect(again).toMatchObject({ paymentId: first.paymentId, amountCents: 2599 });
      });

      it('when five claims of one order race, then all of them get one and the same payment id', async () => {
        const orderId = randomUUID();
        const claims = await Promise.all(Array.from({ length: 5 }, () => store.claim(aDraft({ orderId }))));
        expect(new Set(claims.map((claim) => claim.paymentId)).size).toBe(1);
      });

      it('when an amount beyond 32 bits is claimed, then it is stored exactly', async () => {
        const draft = aDraft({ amountCents: 9_007_199_254_740_991 });
        await store.claim(draft);
        expect((await store.find(draft.orderId))?.amountCents).toBe(9_007_199_254_740_991);
      });
    });

    describe('deciding', () => {
      it('when a pending payment is decided, then the decision is stored', async () => {
        const draft = aDraft();
        await store.claim(draft);
        const decided = await store.decide(draft.orderId, { status: 'AUTHORIZED', chargeId: 'ch_1' });
        expect(decided).toMatchObject({ status: 'AUTHORIZED', chargeId: 'ch_1' });
        expect(await store.find(draft.orderId)).toMatchObject({ status: 'AUTHORIZED', chargeId: 'ch_1' });
      });

      it('when a decided payment is decided again, then the first decision stays and is returned', async () => {
        const draft = aDraft();
        await store.claim(draft);
        await store.decide(draft.orderId, {
          status: 'DECLINED',
          reason: 'CARD_DECLINED',
          detail: 'declined',
        });
        const later = await store.decide(draft.orderId, { status: 'AUTHORIZED', chargeId: 'ch_2' });
        expect(later).toMatchObject({
          status: 'DECLINED',
          reason: 'CARD_DECLINED',
          detail: 'declined',
          chargeId: null,
        });
      });

      it('when two decisions race, then exactly one is stored and both callers see it', async () => {
        const draft = aDraft();
        await store.claim(draft);
        const [one, two] = await Promise.all([
          store.decide(draft.orderId, { status: 'AUTHORIZED', chargeId: 'ch_a' }),
          store.decide(draft.orderId, { status: 'FAILED', reason: 'PROVIDER_ERROR', detail: null }),
        ]);
        expect(one.status).toBe(two.status);
        expect(await store.find(draft.orderId)).toMatchObject({ status: one.status });
      });

      it('when a payment without a claim is decided, then it fails', async () => {
        await expect(store.decide(randomUUID(), { status: 'AUTHORIZED', chargeId: 'ch' })).rejects.toThrow(
          /no payment/,
        );
      });

      it('when a refund was requested while pending, then the decision returns the payment with the request', async () => {
        const draft = aDraft();
        await store.claim(draft);
        await store.requestRefund(draft.orderId, aVoidedDraft(draft.orderId), refundOrigin);
        expect(await store.decide(draft.orderId, { status: 'AUTHORIZED', chargeId: 'ch_1' })).toMatchObject({
          status: 'AUTHORIZED',
          refundRequested: true,
          refundOrigin,
        });
      });
    });

    describe('refunding', () => {
      it('when a refund is requested for an order without payment, then a VOIDED payment holds the place', async () => {
        const orderId = randomUUID();
        const voided = aVoidedDraft(orderId);
        expect(await store.requestRefund(orderId, voided, refundOrigin)).toMatchObject({
          paymentId: voided.paymentId,
          status: 'VOIDED',
          userId: null,
          amountCents: 0,
          currency: null,
          refundRequested: true,
        });
        // A later claim finds it and stores nothing of its own.
        expect(await store.claim(aDraft({ orderId }))).toMatchObject({
          paymentId: voided.paymentId,
          status: 'VOIDED',
        });
      });

      it('when a refund is requested for an existing payment, then the request and its origin are added, the rest kept', async () => {
        const draft = aDraft();
        await store.claim(draft);
        await store.decide(draft.orderId, { status: 'AUTHORIZED', chargeId: 'ch_1' });
        expect(
          await store.requestRefund(draft.orderId, aVoidedDraft(draft.orderId), refundOrigin),
        ).toMatchObject({
          paymentId: draft.paymentId,
          status: 'AUTHORIZED',
          chargeId: 'ch_1',
          refundRequested: true,
          origin,
          refundOrigin,
        });
      });

      it('when an authorized payment is refunded, then it is REFUNDED; refunding again changes nothing', async () => {
        const draft = aDraft();
        await store.claim(draft);
        await store.decide(draft.orderId, { status: 'AUTHORIZED', chargeId: 'ch_1' });
        expect(await store.markRefunded(draft.orderId, { refundId: 're_1' })).toMatchObject({
          status: 'REFUNDED',
          chargeId: 'ch_1',
          refundId: 're_1',
        });
        expect(await store.markRefunded(draft.orderId, { refundId: 're_2' })).toMatchObject({
          refundId: 're_1',
        });
      });

      it('when a declined payment is marked refunded, then it stays DECLINED', async () => {
        const draft = aDraft();
        await store.claim(draft);
        await store.decide(draft.orderId, { status: 'DECLINED', reason: 'CARD_DECLINED', detail: null });
        expect(await store.markRefunded(draft.orderId, { refundId: 're_1' })).toMatchObject({
          status: 'DECLINED',
        });
      });
    });

    it('when an order has no payment, then find returns undefined', async () => {
      expect(await store.find(randomUUID())).toBeUndefined();
    });

    describe('unsettled marks', () => {
      const mine = async (orderId: string) =>
        (await store.unsettledBefore(farFuture, 1000)).filter((mark) => mark.orderId === orderId);

      it('when an order is marked and the mark removed by its holder, then it is no longer listed', async () => {
        const orderId = randomUUID();
        const mark = await store.markUnsettled(orderId, new Date('2026-01-01T10:00:00.000Z'));
        expect(await mine(orderId)).toEqual([mark]);
        await store.markSettled(mark);
        expect(await mine(orderId)).toEqual([]);
      });

      it('when a marked order is marked again, then the later writer holds it (since kept) and the earlier cannot remove it', async () => {
        const orderId = randomUUID();
        const first = await store.markUnsettled(orderId, new Date('2026-01-01T10:00:00.000Z'));
        const second = await store.markUnsettled(orderId, new Date('2026-01-01T10:00:05.000Z'));
        expect(second).toMatchObject({ since: first.since });
        expect(second.token).not.toBe(first.token);
        await store.markSettled(first);
        expect(await mine(orderId)).toEqual([second]);
        await store.markSettled(second);
        expect(await mine(orderId)).toEqual([]);
      });

      it('when three writers mark one order at once, then exactly one holds the mark', async () => {
        const orderId = randomUUID();
        const marks = await Promise.all(
          [0, 1, 2].map(() => store.markUnsettled(orderId, new Date('2026-01-01T10:00:00.000Z'))),
        );
        const [listed] = await mine(orderId);
        expect(marks.filter((mark) => mark.token === listed?.token)).toHaveLength(1);
      });

      it('when marks are listed before a time, then younger ones are left out', async () => {
        const old = randomUUID();
        const young = randomUUID();
        await store.markUnsettled(old, new Date('2026-01-01T10:00:00.000Z'));
        await store.markUnsettled(young, new Date('2026-01-01T10:00:10.000Z'));
        const listed = (await store.unsettledBefore(new Date('2026-01-01T10:00:05.000Z'), 1000)).map(
          (mark) => mark.orderId,
        );
        expect(listed).toContain(old);
        expect(listed).not.toContain(young);
      });
    });
  });
}
