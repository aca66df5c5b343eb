import { randomUUID } from 'node:crypto';
import { type FakeAuthServer, startFakeAuthServer } from '@platform/auth/testing';
import { type IncomingMessage, type OutgoingMessage, embeddedMessageBus } from '@platform/messaging';
import type { RunningApp } from '@platform/testing';
import { aRefundPayment, anAuthorizePayment } from './support/commands';
import { type FakeProvider, startFakeProvider } from './support/fake-provider';
import { type PaymentEventLog, listenToPaymentEvents } from './support/payment-events';
import { startEmbeddedPayment } from './support/payment-app';
import { getPayment } from './support/payments-client';

const orderIdOf = (message: { data: unknown }) => (message.data as { orderId: string }).orderId;
const paymentIdOf = (message: { data: unknown }) => (message.data as { paymentId: string }).paymentId;
const typesOf = (messages: IncomingMessage[]) => messages.map((message) => message.type);
const authorized = 'platform.payments.payment-authorized.v1';
const refundedType = 'platform.payments.payment-refunded.v1';

describe('payment (embedded profile, a fake provider over HTTP)', () => {
  let auth: FakeAuthServer;
  let provider: FakeProvider;
  let service: RunningApp;
  let events: PaymentEventLog;
  beforeAll(async () => {
    auth = await startFakeAuthServer();
    provider = await startFakeProvider();
    service = await startEmbeddedPayment({
      AUTH_URL: auth.url,
      PROVIDER_URL: provider.url,
      PROVIDER_TIMEOUT_MS: '300',
      // These tests fail calls on purpose; the breaker has its own file.
      PROVIDER_BREAKER_VOLUME_THRESHOLD: '1000',
    });
    events = await listenToPaymentEvents(embeddedMessageBus());
  });
  afterAll(async () => {
    await events.stop();
    await service.close();
    await provider.close();
    await auth.close();
  });
  beforeEach(() => {
    provider.behaviour = 'approve';
    provider.refundBehaviour = 'refund';
  });

  const publish = (message: OutgoingMessage) => embeddedMessageBus().publish(message);
  /** Waits until the order has an event of `type`, and returns the order's events. */
  const waitForType = (orderId: string, type: string, timeoutMs = 10_000) =>
    events.waitFor(orderId, 1, timeoutMs).then(async () => {
      const started = Date.now();
      while (!events.of(orderId).some((message) => message.type === type)) {
        if (Date.now() - started > timeoutMs) throw new Error(`no ${type} for order ${orderId}`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      return events.of(orderId);
    });
  const chargeRequestsOf = (orderId: string) =>
    provider.requestsFor(orderId).filter((request) => request.path === '/v1/charges');
  const ownerToken = (userId: string) => auth.tokenFor(userId);

  describe('when an order is authorized', () => {
    it('then PaymentAuthorized carries the payment, the provider charged once under the payment id, and the owner sees it', async () => {
      const userId = randomUUID();
      const command = anAuthorizePayment({ userId, amountCents: 4200 });
      const orderId = orderIdOf(command);
      await publish(command);
      const [event] = await events.waitFor(orderId, 1);
      expect(event).toMatchObject({
        type: authorized,
        correlationId: orderId,
        data: { orderId, paymentId: expect.any(String), amountCents: 4200, currency: 'EUR' },
      });
      const paymentId = paymentIdOf(event ?? { data: {} });
      expect(provider.charges(orderId)).toHaveLength(1);
      expect(chargeRequestsOf(orderId)).toEqual([
        expect.objectContaining({
          idempotencyKey: paymentId,
          body: expect.objectContaining({ amount: 4200, currency: 'EUR', source: 'tok_visa' }),
        }),
      ]);

      const reply = await getPayment(service.baseUrl, await ownerToken(userId), orderId);
      expect(reply).toEqual({
        status: 200,
        body: {
          paymentId,
          orderId,
          status: 'AUTHORIZED',
          amountCents: 4200,
          currency: 'EUR',
          createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
        },
      });
      const byAdmin = await getPayment(
        service.baseUrl,
        await auth.tokenFor(randomUUID(), ['admin']),
        orderId,
      );
      expect(byAdmin.body).toMatchObject({ paymentId });
      const byAnother = await getPayment(service.baseUrl, await auth.tokenFor(randomUUID()), orderId);
      expect(byAnother.status).toBe(404);
    });

    it('then the same AuthorizePayment delivered three times charges once, and every answer is the one event (same ce_id)', async () => {
      const command = anAuthorizePayment();
      const orderId = orderIdOf(command);
      await Promise.all([publish(command), publish(command), publish({ ...command, id: randomUUID() })]);
      // Same key, so handled after the three: its answer proves they were all handled.
      await publish(aRefundPayment(orderId));
      const received = await waitForType(orderId, refundedType);
      expect(provider.charges(orderId)).toHaveLength(1);
      expect(chargeRequestsOf(orderId)).toHaveLength(1);
      const answers = received.filter((message) => message.type === authorized);
      expect(answers.length).toBeGreaterThanOrEqual(1);
      expect(new Set(answers.map((message) => message.id)).size).toBe(1);
      expect(new Set(answers.map(paymentIdOf)).size).toBe(1);
    });

    it('then a redelivered command for a decided payment answers the stored outcome without calling the provider', async () => {
      provider.behaviour = 'decline';
      const command = anAuthorizePayment();
      const orderId = orderIdOf(command);
      await publish(command);
      await events.waitFor(orderId, 1);
      provider.behaviour = 'approve';
      await publish(command);
      await publish(aRefundPayment(orderId));
      const received = await waitForType(orderId, refundedType);
      expect(typesOf(received).filter((type) => type !== refundedType)).toEqual(
        expect.arrayContaining(['platform.payments.payment-declined.v1']),
      );
      expect(typesOf(received)).not.toContain(authorized);
      expect(chargeRequestsOf(orderId)).toHaveLength(1);
    });
  });

  describe('when the provider does not authorize', () => {
    it('then a declined card gives PaymentDeclined(CARD_DECLINED) and the payment DECLINED', async () => {
      provider.behaviour = 'decline';
      const userId = randomUUID();
      const command = anAuthorizePayment({ userId, paymentMethod: 'tok_chargeDeclined' });
      const orderId = orderIdOf(command);
      await publish(command);
      const [declined] = await events.waitFor(orderId, 1);
      expect(declined).toMatchObject({
        type: 'platform.payments.payment-declined.v1',
        data: { orderId, reason: 'CARD_DECLINED', detail: 'Your card was declined.' },
      });
      const reply = await getPayment(service.baseUrl, await ownerToken(userId), orderId);
      expect(reply.body).toMatchObject({ orderId, status: 'DECLINED' });
    });

    it('then a 5xx, after its retry with the same idempotency key, gives PaymentFailed(PROVIDER_ERROR) at once', async () => {
      provider.behaviour = 'server-error';
      const userId = randomUUID();
      const command = anAuthorizePayment({ userId });
      const orderId = orderIdOf(command);
      await publish(command);
      const [failed] = await events.waitFor(orderId, 1);
      expect(failed).toMatchObject({
        type: 'platform.payments.payment-failed.v1',
        data: { orderId, reason: 'PROVIDER_ERROR' },
      });
      const attempts = chargeRequestsOf(orderId);
      expect(attempts).toHaveLength(2);
      expect(new Set(attempts.map((attempt) => attempt.idempotencyKey)).size).toBe(1);
      expect((await getPayment(service.baseUrl, await ownerToken(userId), orderId)).body).toMatchObject({
        status: 'FAILED',
      });
    });
  });

  describe('when the charge is in doubt (the provider does not answer within PROVIDER_TIMEOUT_MS)', () => {
    it('then nothing is answered and the payment shows PENDING; once the provider answers the same key, a late PaymentAuthorized follows', async () => {
      provider.behaviour = 'hang';
      const userId = randomUUID();
      const command = anAuthorizePayment({ userId });
      const orderId = orderIdOf(command);
      await publish(command);
      await expect(events.waitFor(orderId, 1, 1000)).rejects.toThrow();
      expect((await getPayment(service.baseUrl, await ownerToken(userId), orderId)).body).toMatchObject({
        orderId,
        status: 'PENDING',
      });

      provider.behaviour = 'approve';
      const [late] = await events.waitFor(orderId, 1);
      expect(late).toMatchObject({ type: authorized, correlationId: orderId });
      const requests = chargeRequestsOf(orderId);
      expect(requests.length).toBeGreaterThan(1);
      expect(new Set(requests.map((request) => request.idempotencyKey))).toEqual(
        new Set([paymentIdOf(late ?? { data: {} })]),
      );
      expect(provider.charges(orderId)).toHaveLength(1);
      expect((await getPayment(service.baseUrl, await ownerToken(userId), orderId)).body).toMatchObject({
        status: 'AUTHORIZED',
      });
    });

    it('then a charge that landed while its answer was lost is learnt from the provider, not made twice', async () => {
      provider.behaviour = 'slow';
      const command = anAuthorizePayment();
      const orderId = orderIdOf(command);
      await publish(command);
      const [late] = await events.waitFor(orderId, 1);
      expect(late).toMatchObject({ type: authorized });
      expect(provider.charges(orderId)).toHaveLength(1);
      expect(chargeRequestsOf(orderId).length).toBeGreaterThan(1);
    });

    it('then a RefundPayment meanwhile is held until the charge lands, and the charge is refunded at once', async () => {
      provider.behaviour = 'hang';
      const userId = randomUUID();
      const command = anAuthorizePayment({ userId });
      const orderId = orderIdOf(command);
      await publish(command);
      await publish(aRefundPayment(orderId));
      await expect(events.waitFor(orderId, 1, 1000)).rejects.toThrow();
      expect(provider.requestsFor(orderId).filter((request) => request.path === '/v1/refunds')).toEqual([]);

      provider.behaviour = 'slow';
      const received = await waitForType(orderId, refundedType);
      expect(typesOf(received)).toEqual([authorized, refundedType]);
      expect(received[1]?.data).toMatchObject({ orderId, amountCents: 2599, currency: 'EUR' });
      const [charge] = provider.charges(orderId);
      expect(provider.refunds().filter((refund) => refund.charge === charge?.id)).toHaveLength(1);
      expect((await getPayment(service.baseUrl, await ownerToken(userId), orderId)).body).toMatchObject({
        status: 'REFUNDED',
      });
    });
  });

  describe('when a refund is asked', () => {
    it('then an authorized payment is refunded once at the provider however often asked, and PaymentRefunded is one event', async () => {
      const userId = randomUUID();
      const command = anAuthorizePayment({ userId });
      const orderId = orderIdOf(command);
      await publish(command);
      await events.waitFor(orderId, 1);
      await publish(aRefundPayment(orderId));
      await publish(aRefundPayment(orderId));
      await publish(anAuthorizePayment({ orderId }));
      const received = await events.waitFor(orderId, 2);
      const refunds = received.filter((message) => message.type === refundedType);
      expect(new Set(refunds.map((message) => message.id)).size).toBe(1);
      expect(refunds[0]?.data).toMatchObject({ orderId, amountCents: 2599, currency: 'EUR' });
      const [charge] = provider.charges(orderId);
      expect(provider.refunds().filter((refund) => refund.charge === charge?.id)).toHaveLength(1);
      expect((await getPayment(service.baseUrl, await ownerToken(userId), orderId)).body).toMatchObject({
        status: 'REFUNDED',
      });
    });

    it('then a refund before the authorization voids the order: PaymentRefunded(0), and the AuthorizePayment charges nothing', async () => {
      const command = anAuthorizePayment();
      const orderId = orderIdOf(command);
      await publish(aRefundPayment(orderId));
      await publish(command);
      const received = await waitForType(orderId, 'platform.payments.payment-failed.v1');
      // An answer may be emitted again under its id (at least once); consumers keep one per id.
      const distinct = [...new Map(received.map((message) => [message.id, message])).values()];
      expect(distinct.map((message) => [message.type, message.data])).toEqual([
        [refundedType, { orderId, paymentId: expect.any(String), amountCents: 0 }],
        ['platform.payments.payment-failed.v1', expect.objectContaining({ orderId, reason: 'VOIDED' })],
      ]);
      expect(provider.requestsFor(orderId)).toEqual([]);
      const admin = await auth.tokenFor(randomUUID(), ['admin']);
      expect((await getPayment(service.baseUrl, admin, orderId)).status).toBe(404);
    });

    it('then a declined payment has nothing to give back: PaymentRefunded(0) and no refund at the provider', async () => {
      provider.behaviour = 'decline';
      const command = anAuthorizePayment();
      const orderId = orderIdOf(command);
      await publish(command);
      await publish(aRefundPayment(orderId));
      const received = await waitForType(orderId, refundedType);
      expect(received.at(-1)?.data).toMatchObject({ orderId, amountCents: 0, currency: 'EUR' });
      expect(provider.requestsFor(orderId).filter((request) => request.path === '/v1/refunds')).toEqual([]);
    });

    it('then a refund the provider fails is kept and made by the reconciler once the provider refunds again', async () => {
      const command = anAuthorizePayment();
      const orderId = orderIdOf(command);
      await publish(command);
      await events.waitFor(orderId, 1);
      provider.refundBehaviour = 'server-error';
      await publish(aRefundPayment(orderId));
      await expect(waitForType(orderId, refundedType, 1000)).rejects.toThrow();
      provider.refundBehaviour = 'refund';
      const received = await waitForType(orderId, refundedType);
      const [charge] = provider.charges(orderId);
      expect(provider.refunds().filter((refund) => refund.charge === charge?.id)).toHaveLength(1);
      // Every try under the one key of this payment's charge: the provider refunds it once, whoever retries.
      const tries = provider.requestsFor(orderId).filter((request) => request.path === '/v1/refunds');
      expect(tries.length).toBeGreaterThan(1);
      expect(new Set(tries.map((request) => request.idempotencyKey))).toEqual(
        new Set([`refund-${paymentIdOf(received[0] ?? { data: {} })}-${charge?.id}`]),
      );
    });
  });

  describe('GET /api/payments', () => {
    it('when orderId is missing or too long, then 400 problem+json and nothing is read', async () => {
      const token = await auth.tokenFor(randomUUID());
      const missing = await fetch(`${service.baseUrl}/api/payments`, {
        headers: { authorization: `Bearer ${token}` },
      });
      expect(missing.status).toBe(400);
      expect(missing.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(await missing.json()).toMatchObject({ status: 400, errors: [{ field: 'orderId' }] });
      expect((await getPayment(service.baseUrl, token, 'x'.repeat(129))).status).toBe(400);
    });

    it('when the order has no payment, then 404 problem+json', async () => {
      const reply = await getPayment(
        service.baseUrl,
        await auth.tokenFor(randomUUID(), ['admin']),
        randomUUID(),
      );
      expect(reply).toMatchObject({ status: 404, body: { status: 404 } });
    });

    it('when no token is sent, then 401', async () => {
      expect((await getPayment(service.baseUrl, undefined, randomUUID())).status).toBe(401);
    });
  });
});
