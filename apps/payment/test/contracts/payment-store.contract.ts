import { randomUUID } from 'node:crypto';
import type { NewPayment } from '../../src/domain/payment';
import type { PaymentStore } from '../../src/store/payment-store.port';

const aDraft = (overrides: Partial<NewPayment> = {}): NewPayment => ({
  paymentId: randomUUID(),
  orderId: randomUUID(),
  userId: randomUUID(),
  amountCents: 2599,
  currency: 'EUR',
  paymentMethod: 'tok_visa',
  createdAt: new Date('2026-01-01T10:00:00.000Z'),
  ...overrides,
});

/** What every PaymentStore adapter must do; run against the in-memory and Cassandra adapters. */
export function describePaymentStoreContract(name: string, createStore: () => Promise<PaymentStore>): void {
  describe(`PaymentStore contract (${name})`, () => {
    let store: PaymentStore;
    beforeEach(async () => {
      store = await createStore();
    });

    it('when an order is claimed first, then its payment is stored PENDING with the draft', async () => {
      const draft = aDraft();
      expect(await store.claim(draft)).toMatchObject({ ...draft, status: 'PENDING', chargeId: null });
      expect(await store.find(draft.orderId)).toMatchObject({ ...draft, status: 'PENDING' });
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
      await store.decide(draft.orderId, { status: 'DECLINED', reason: 'CARD_DECLINED', detail: 'declined' });
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
        store.decide(draft.orderId, { status: 'FAILED', reason: 'PROVIDER_TIMEOUT', detail: null }),
      ]);
      expect(one?.status).toBe(two?.status);
      expect(await store.find(draft.orderId)).toMatchObject({ status: one?.status });
    });

    it('when a payment without a claim is decided, then it fails', async () => {
      await expect(store.decide(randomUUID(), { status: 'AUTHORIZED', chargeId: 'ch' })).rejects.toThrow(
        /no payment/,
      );
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

    it('when an order has no payment, then find returns undefined', async () => {
      expect(await store.find(randomUUID())).toBeUndefined();
    });
  });
}
