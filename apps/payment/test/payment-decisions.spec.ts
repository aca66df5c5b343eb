import { randomUUID } from 'node:crypto';
import { eventIdOf } from '../src/domain/event-ids';
import { declinedCard, decisionHarness, inDoubt, origin, refused } from './support/decision-harness';

const typesOf = (events: Array<{ type: string }>) => events.map((event) => event.type);

describe('authorizing a payment', () => {
  it('when the claiming delivery is answered, then the outcome is stored, announced, and the order settled', async () => {
    const { authorize, store, events, authorizeCommand, provider } = decisionHarness();
    provider.chargeScript = [declinedCard];
    const command = authorizeCommand();
    await authorize.execute(command, origin);
    expect(await store.find(command.orderId)).toMatchObject({ status: 'DECLINED', reason: 'CARD_DECLINED' });
    expect(typesOf(events(command.orderId))).toEqual(['PaymentDeclined']);
    expect(await store.unsettledBefore(new Date(8.64e15), 10)).toEqual([]);
  });

  it('when the claiming call certainly charged nothing (refused), then the payment FAILED at once', async () => {
    const { authorize, store, events, authorizeCommand, provider } = decisionHarness();
    provider.chargeScript = [refused];
    const command = authorizeCommand();
    await authorize.execute(command, origin);
    expect(await store.find(command.orderId)).toMatchObject({
      status: 'FAILED',
      reason: 'PROVIDER_UNAVAILABLE',
    });
    expect(events(command.orderId)).toEqual([
      expect.objectContaining({
        type: 'PaymentFailed',
        data: expect.objectContaining({ reason: 'PROVIDER_UNAVAILABLE' }),
      }),
    ]);
  });

  it('when the claiming call is in doubt (timed out), then the payment stays PENDING, nothing is sent, and the order stays marked', async () => {
    const { authorize, store, events, authorizeCommand, provider } = decisionHarness();
    provider.chargeScript = [inDoubt];
    const command = authorizeCommand();
    await authorize.execute(command, origin);
    expect(await store.find(command.orderId)).toMatchObject({ status: 'PENDING' });
    expect(events(command.orderId)).toEqual([]);
    expect(await store.unsettledBefore(new Date(8.64e15), 10)).toEqual([
      expect.objectContaining({ orderId: command.orderId }),
    ]);
  });

  it('when a redelivery finds the payment PENDING under another claim, then it does not call the provider', async () => {
    const { authorize, events, authorizeCommand, provider } = decisionHarness();
    provider.chargeScript = [inDoubt];
    const command = authorizeCommand();
    await authorize.execute(command, origin);
    await authorize.execute(command, origin);
    expect(provider.charges).toHaveLength(1);
    expect(events(command.orderId)).toEqual([]);
  });

  it('when a decided payment is delivered again, then its outcome is emitted again with the same event id and no new charge', async () => {
    const { authorize, events, authorizeCommand, provider } = decisionHarness();
    const command = authorizeCommand();
    await authorize.execute(command, origin);
    await authorize.execute(command, origin);
    const [first, again] = events(command.orderId);
    expect(provider.charges).toHaveLength(1);
    expect(first).toMatchObject({ type: 'PaymentAuthorized', correlationId: 'saga-1' });
    expect(again?.id).toBe(first?.id);
  });

  it('when the outcome is stored but emitting it fails, then the reconciler emits it later, with the id it would have had', async () => {
    const { authorize, store, events, authorizeCommand, reconciler, advance } = decisionHarness();
    const command = authorizeCommand();
    const emit = jest.spyOn(store, 'emit').mockRejectedValueOnce(new Error('Cassandra write timeout'));
    await expect(authorize.execute(command, origin)).rejects.toThrow('Cassandra write timeout');
    emit.mockRestore();
    expect(events(command.orderId)).toEqual([]);
    advance(5000);
    expect(await reconciler.reconcileDue()).toEqual({ examined: 1, settled: 1 });
    const payment = await store.find(command.orderId);
    expect(events(command.orderId)).toEqual([
      expect.objectContaining({
        id: eventIdOf(payment?.paymentId ?? '', 'authorization'),
        type: 'PaymentAuthorized',
      }),
    ]);
  });
});

describe('reconciling a payment in doubt', () => {
  it('when the first call is still within its budget, then the reconciler leaves the payment alone', async () => {
    const { authorize, authorizeCommand, provider, reconciler, advance } = decisionHarness(5000);
    provider.chargeScript = [inDoubt];
    await authorize.execute(authorizeCommand(), origin);
    advance(4999);
    expect(await reconciler.reconcileDue()).toEqual({ examined: 0, settled: 0 });
    expect(provider.charges).toHaveLength(1);
  });

  it('when the provider then answers the same key, then the late outcome is stored and announced (a late PaymentAuthorized)', async () => {
    const { authorize, store, events, authorizeCommand, provider, reconciler, advance } = decisionHarness();
    provider.chargeScript = [inDoubt];
    const command = authorizeCommand();
    await authorize.execute(command, origin);
    advance(5000);
    expect(await reconciler.reconcileDue()).toEqual({ examined: 1, settled: 1 });
    const payment = await store.find(command.orderId);
    expect(payment).toMatchObject({ status: 'AUTHORIZED' });
    expect(provider.charges).toEqual([payment?.paymentId, payment?.paymentId]);
    expect(typesOf(events(command.orderId))).toEqual(['PaymentAuthorized']);
    expect(events(command.orderId)[0]).toMatchObject({ correlationId: 'saga-1' });
  });

  it('when the provider refuses the call again (breaker open), then the payment stays PENDING: an earlier call may have charged', async () => {
    const { authorize, store, events, authorizeCommand, provider, reconciler, advance } = decisionHarness();
    provider.chargeScript = [inDoubt, refused];
    const command = authorizeCommand();
    await authorize.execute(command, origin);
    advance(5000);
    expect(await reconciler.reconcileDue()).toEqual({ examined: 1, settled: 0 });
    expect(await store.find(command.orderId)).toMatchObject({ status: 'PENDING' });
    expect(events(command.orderId)).toEqual([]);
    advance(2000);
    expect(await reconciler.reconcileDue()).toEqual({ examined: 1, settled: 1 });
    expect(typesOf(events(command.orderId))).toEqual(['PaymentAuthorized']);
  });

  it('when the call decided late lands after another decision, then the denied charge is refunded', async () => {
    const { authorize, store, authorizeCommand, provider, reconciler, advance } = decisionHarness();
    provider.chargeScript = [inDoubt];
    const command = authorizeCommand();
    await authorize.execute(command, origin);
    // Another call decided while this reconciler's call was under way.
    const charge = provider.charge.bind(provider);
    jest.spyOn(provider, 'charge').mockImplementationOnce(async (payment) => {
      await store.decide(command.orderId, { status: 'FAILED', reason: 'PROVIDER_UNAVAILABLE', detail: null });
      return charge(payment);
    });
    advance(5000);
    await reconciler.reconcileDue();
    const payment = await store.find(command.orderId);
    expect(payment).toMatchObject({ status: 'FAILED' });
    expect(provider.refunds).toEqual([
      { paymentId: payment?.paymentId, chargeId: `ch_${payment?.paymentId}` },
    ]);
  });

  it('when a mark has no payment for an hour, then it is dropped; before that it stays for the redelivery', async () => {
    const { store, reconciler, advance } = decisionHarness();
    await store.markUnsettled(randomUUID(), new Date('2026-01-01T10:00:00.000Z'));
    advance(59 * 60_000);
    await reconciler.reconcileDue();
    expect(await store.unsettledBefore(new Date(8.64e15), 10)).toHaveLength(1);
    advance(60_000);
    await reconciler.reconcileDue();
    expect(await store.unsettledBefore(new Date(8.64e15), 10)).toEqual([]);
  });
});

describe('refunding a payment', () => {
  it('when the payment is authorized, then it is refunded once at the provider and PaymentRefunded gives the amount back', async () => {
    const { authorize, refund, store, events, authorizeCommand, provider } = decisionHarness();
    const command = authorizeCommand();
    await authorize.execute(command, origin);
    await refund.execute({ orderId: command.orderId, reason: 'ORDER_CANCELLED' }, origin);
    await refund.execute({ orderId: command.orderId, reason: 'ORDER_CANCELLED' }, origin);
    expect(provider.refunds).toHaveLength(1);
    expect(await store.find(command.orderId)).toMatchObject({ status: 'REFUNDED', refundId: 're_1' });
    const refunds = events(command.orderId).filter((event) => event.type === 'PaymentRefunded');
    expect(refunds.map((event) => event.data)).toEqual([
      expect.objectContaining({ amountCents: 2599, currency: 'EUR' }),
      expect.objectContaining({ amountCents: 2599, currency: 'EUR' }),
    ]);
    expect(new Set(refunds.map((event) => event.id)).size).toBe(1);
  });

  it('when the provider does not refund, then the request stays, the age of the unsettled refund is reported, and the reconciler refunds later', async () => {
    const { authorize, refund, store, events, authorizeCommand, provider, reconciler, advance, metric } =
      decisionHarness();
    const command = authorizeCommand();
    await authorize.execute(command, origin);
    provider.failingRefunds = 2;
    await refund.execute({ orderId: command.orderId, reason: 'ORDER_CANCELLED' }, origin);
    expect(await store.find(command.orderId)).toMatchObject({ status: 'AUTHORIZED', refundRequested: true });
    advance(5000);
    expect(await reconciler.reconcileDue()).toEqual({ examined: 1, settled: 0 });
    expect(await metric('payment_unsettled_oldest_age_seconds')).toBe(5);
    advance(60_000);
    expect(await reconciler.reconcileDue()).toEqual({ examined: 1, settled: 1 });
    expect(await metric('payment_unsettled_oldest_age_seconds')).toBe(0);
    expect(await metric('payment_reconciled_marks_total', { outcome: 'settled' })).toBe(1);
    expect(await metric('payment_reconciled_marks_total', { outcome: 'unsettled' })).toBe(1);
    expect(await store.find(command.orderId)).toMatchObject({ status: 'REFUNDED' });
    expect(typesOf(events(command.orderId))).toEqual([
      'PaymentAuthorized',
      'PaymentAuthorized',
      'PaymentRefunded',
    ]);
  });

  it('when the payment is in doubt, then the refund waits for the outcome, and the late charge is refunded at once', async () => {
    const { authorize, refund, store, events, authorizeCommand, provider, reconciler, advance } =
      decisionHarness();
    provider.chargeScript = [inDoubt];
    const command = authorizeCommand();
    await authorize.execute(command, origin);
    await refund.execute({ orderId: command.orderId, reason: 'TIMEOUT' }, origin);
    expect(events(command.orderId)).toEqual([]);
    expect(provider.refunds).toEqual([]);
    advance(5000);
    await reconciler.reconcileDue();
    expect(await store.find(command.orderId)).toMatchObject({ status: 'REFUNDED' });
    expect(provider.refunds).toHaveLength(1);
    expect(typesOf(events(command.orderId))).toEqual(['PaymentAuthorized', 'PaymentRefunded']);
  });

  it('when the refund comes before the authorization, then the order is voided: no charge ever, PaymentFailed(VOIDED)', async () => {
    const { authorize, refund, store, events, authorizeCommand, provider } = decisionHarness();
    const command = authorizeCommand();
    await refund.execute({ orderId: command.orderId, reason: 'TIMEOUT' }, origin);
    await authorize.execute(command, origin);
    expect(provider.charges).toEqual([]);
    expect(await store.find(command.orderId)).toMatchObject({ status: 'VOIDED' });
    expect(events(command.orderId).map((event) => [event.type, event.data])).toEqual([
      ['PaymentRefunded', expect.objectContaining({ amountCents: 0 })],
      ['PaymentFailed', expect.objectContaining({ reason: 'VOIDED' })],
      ['PaymentRefunded', expect.objectContaining({ amountCents: 0 })],
    ]);
  });

  it('when the payment was declined, then nothing is refunded and PaymentRefunded gives back 0', async () => {
    const { authorize, refund, events, authorizeCommand, provider } = decisionHarness();
    provider.chargeScript = [declinedCard];
    const command = authorizeCommand();
    await authorize.execute(command, origin);
    await refund.execute({ orderId: command.orderId, reason: 'ORDER_CANCELLED' }, origin);
    expect(provider.refunds).toEqual([]);
    expect(events(command.orderId).at(-1)).toMatchObject({
      type: 'PaymentRefunded',
      data: { amountCents: 0, currency: 'EUR' },
    });
  });

  it('when the refund names another payment id, then the stored payment is untouched and that id is answered with 0', async () => {
    const { authorize, refund, store, events, authorizeCommand, provider } = decisionHarness();
    const command = authorizeCommand();
    await authorize.execute(command, origin);
    await refund.execute(
      { orderId: command.orderId, paymentId: 'pay-other', reason: 'ORDER_CANCELLED' },
      origin,
    );
    expect(provider.refunds).toEqual([]);
    expect(await store.find(command.orderId)).toMatchObject({ status: 'AUTHORIZED', refundRequested: false });
    expect(events(command.orderId).at(-1)).toMatchObject({
      type: 'PaymentRefunded',
      data: { paymentId: 'pay-other', amountCents: 0 },
    });
  });
});
