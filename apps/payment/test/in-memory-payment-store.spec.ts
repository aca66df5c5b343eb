import { randomUUID } from 'node:crypto';
import { InMemoryPaymentStore } from '../src/store/in-memory-payment-store';
import { describePaymentStoreContract } from './contracts/payment-store.contract';

describePaymentStoreContract('in memory', async () => new InMemoryPaymentStore());

describe('InMemoryPaymentStore outbox', () => {
  it('when an event is emitted, then its relay can claim it under the order', async () => {
    const store = new InMemoryPaymentStore();
    const orderId = randomUUID();
    const event = {
      id: randomUUID(),
      type: 'PaymentDeclined',
      occurredAt: new Date(),
      data: { orderId, reason: 'CARD_DECLINED' },
      traceparent: null,
      state: 'pending' as const,
      attempts: 0,
    };
    await store.emit(orderId, event);
    const [claimed] = await store.outbox.claim({ owner: 'relay', limit: 10, leaseMs: 1000, now: new Date() });
    expect(claimed).toMatchObject({ aggregateId: orderId, event: { id: event.id, data: event.data } });
  });
});
