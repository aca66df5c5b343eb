import { randomUUID } from 'node:crypto';
import { type FakeAuthServer, startFakeAuthServer } from '@platform/auth/testing';
import { embeddedMessageBus } from '@platform/messaging';
import type { RunningApp } from '@platform/testing';
import { aRefundPayment, anAuthorizePayment } from './support/commands';
import { type FakeProvider, startFakeProvider } from './support/fake-provider';
import { type PaymentEventLog, listenToPaymentEvents } from './support/payment-events';
import { startEmbeddedPayment } from './support/payment-app';
import { getPayment } from './support/payments-client';

const orderIdOf = (message: { data: unknown }) => (message.data as { orderId: string }).orderId;

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
  });

  const publish = (message: Parameters<ReturnType<typeof embeddedMessageBus>['publish']>[0]) =>
    embeddedMessageBus().publish(message);

  describe('when an order is authorized', () => {
    it('then PaymentAuthorized carries the payment, the provider charged once, and the owner sees it', async () => {
      const userId = randomUUID();
      const command = anAuthorizePayment({ userId, amountCents: 4200 });
      const orderId = orderIdOf(command);
      await publish(command);
      const [authorized] = await events.waitFor(orderId, 1);
      expect(authorized).toMatchObject({
        type: 'platform.payments.payment-authorized.v1',
        correlationId: orderId,
        data: { orderId, paymentId: expect.any(String), amountCents: 4200, currency: 'EUR' },
      });
      const paymentId = (authorized?.data as { paymentId: string }).paymentId;
      expect(provider.charges(orderId)).toHaveLength(1);
      expect(
        provider.requests.find(
          (request) =>
            request.path === '/v1/charges' &&
            request.body['metadata'] &&
            (request.body['metadata'] as { orderId: string }).orderId === orderId,
        ),
      ).toMatchObject({
        idempotencyKey: paymentId,
        body: { amount: 4200, currency: 'EUR', source: 'tok_visa' },
      });

      const reply = await getPayment(service.baseUrl, await auth.tokenFor(userId), orderId);
      expect(reply.status).toBe(200);
      expect(reply.body).toEqual({
        paymentId,
        orderId,
        status: 'AUTHORIZED',
        amountCents: 4200,
        currency: 'EUR',
        createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      });
      const byAdmin = await getPayment(
        service.baseUrl,
        await auth.tokenFor(randomUUID(), ['admin']),
        orderId,
      );
      expect(byAdmin.status).toBe(200);
      expect(byAdmin.body.paymentId).toBe(paymentId);
      const byAnother = await getPayment(service.baseUrl, await auth.tokenFor(randomUUID()), orderId);
      expect(byAnother.status).toBe(404);
    });

    it('then the same AuthorizePayment delivered three times charges once and announces one payment', async () => {
      const command = anAuthorizePayment();
      const orderId = orderIdOf(command);
      await Promise.all([publish(command), publish(command), publish({ ...command, id: randomUUID() })]);
      const received = await events.waitFor(orderId, 3);
      expect(provider.charges(orderId)).toHaveLength(1);
      expect(
        provider.requests.filter(
          (request) =>
            request.path === '/v1/charges' &&
            (request.body['metadata'] as { orderId: string }).orderId === orderId,
        ),
      ).toHaveLength(1);
      // Every delivery re-emits the one stored outcome.
      expect(received.map((message) => message.type)).toEqual(
        Array(3).fill('platform.payments.payment-authorized.v1'),
      );
      expect(new Set(received.map((message) => (message.data as { paymentId: string }).paymentId)).size).toBe(
        1,
      );
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
      const reply = await getPayment(service.baseUrl, await auth.tokenFor(userId), orderId);
      expect(reply.body).toMatchObject({ orderId, status: 'DECLINED' });
    });

    it('then a 5xx (after its retry, with the same idempotency key) gives PaymentFailed(PROVIDER_ERROR)', async () => {
      provider.behaviour = 'server-error';
      const command = anAuthorizePayment();
      const orderId = orderIdOf(command);
      await publish(command);
      const [failed] = await events.waitFor(orderId, 1);
      expect(failed).toMatchObject({
        type: 'platform.payments.payment-failed.v1',
        data: { orderId, reason: 'PROVIDER_ERROR' },
      });
      const attempts = provider.requests.filter(
        (request) => (request.body['metadata'] as { orderId?: string } | undefined)?.orderId === orderId,
      );
      expect(attempts).toHaveLength(2);
      expect(new Set(attempts.map((attempt) => attempt.idempotencyKey)).size).toBe(1);
    });

    it('then a provider that does not answer within PROVIDER_TIMEOUT_MS gives PaymentFailed(PROVIDER_TIMEOUT)', async () => {
      provider.behaviour = 'hang';
      const userId = randomUUID();
      const command = anAuthorizePayment({ userId });
      const orderId = orderIdOf(command);
      await publish(command);
      const [failed] = await events.waitFor(orderId, 1);
      expect(failed).toMatchObject({
        type: 'platform.payments.payment-failed.v1',
        data: { orderId, reason: 'PROVIDER_TIMEOUT' },
      });
      const reply = await getPayment(service.baseUrl, await auth.tokenFor(userId), orderId);
      expect(reply.body).toMatchObject({ status: 'FAILED' });
    });

    it('then a redelivered command for a decided payment emits the stored outcome without calling the provider', async () => {
      provider.behaviour = 'decline';
      const command = anAuthorizePayment();
      const orderId = orderIdOf(command);
      await publish(command);
      await events.waitFor(orderId, 1);
      provider.behaviour = 'approve';
      await publish(command);
      const received = await events.waitFor(orderId, 2);
      expect(received.map((message) => message.type)).toEqual([
        'platform.payments.payment-declined.v1',
        'platform.payments.payment-declined.v1',
      ]);
      expect(provider.charges(orderId)).toEqual([]);
    });
  });

  describe('when a refund is asked', () => {
    it('then an authorized payment is refunded once at the provider, REFUNDED, and PaymentRefunded is emitted', async () => {
      const userId = randomUUID();
      const command = anAuthorizePayment({ userId });
      const orderId = orderIdOf(command);
      await publish(command);
      await events.waitFor(orderId, 1);
      await publish(aRefundPayment(orderId));
      await publish(aRefundPayment(orderId));
      const received = await events.waitFor(orderId, 3);
      const [, refundedEvent, again] = received;
      expect(refundedEvent).toMatchObject({
        type: 'platform.payments.payment-refunded.v1',
        data: { orderId },
      });
      expect(again).toMatchObject({ type: refundedEvent?.type, data: refundedEvent?.data });
      const [charge] = provider.charges(orderId);
      expect(provider.refunds().filter((refund) => refund.charge === charge?.id)).toHaveLength(1);
      const reply = await getPayment(service.baseUrl, await auth.tokenFor(userId), orderId);
      expect(reply.body).toMatchObject({ status: 'REFUNDED' });
    });

    it('then nothing authorized for the order means no refund and no event, and the command is acknowledged', async () => {
      const orderId = randomUUID();
      const refundsBefore = provider.refunds().length;
      await publish(aRefundPayment(orderId));
      // Same key, so handled after the refund: its outcome proves the refund was acknowledged first.
      provider.behaviour = 'decline';
      await publish(anAuthorizePayment({ orderId }));
      await publish(aRefundPayment(orderId));
      await publish(anAuthorizePayment({ orderId }));
      const received = await events.waitFor(orderId, 2);
      expect(received.map((message) => message.type)).toEqual([
        'platform.payments.payment-declined.v1',
        'platform.payments.payment-declined.v1',
      ]);
      expect(provider.refunds()).toHaveLength(refundsBefore);
    });

    it('then a refund naming another payment id than the stored one refunds nothing', async () => {
      const command = anAuthorizePayment();
      const orderId = orderIdOf(command);
      await publish(command);
      await events.waitFor(orderId, 1);
      await publish(aRefundPayment(orderId, randomUUID()));
      await publish(command);
      const received = await events.waitFor(orderId, 2);
      expect(received.map((message) => message.type)).toEqual([
        'platform.payments.payment-authorized.v1',
        'platform.payments.payment-authorized.v1',
      ]);
    });
  });

  describe('GET /api/payments', () => {
    it('when orderId is missing, then 400', async () => {
      const reply = await getPayment(service.baseUrl, await auth.tokenFor(randomUUID()), undefined);
      expect(reply.status).toBe(400);
    });

    it('when the order has no payment, then 404', async () => {
      const reply = await getPayment(
        service.baseUrl,
        await auth.tokenFor(randomUUID(), ['admin']),
        randomUUID(),
      );
      expect(reply.status).toBe(404);
    });

    it('when no token is sent, then 401', async () => {
      expect((await getPayment(service.baseUrl, undefined, randomUUID())).status).toBe(401);
    });
  });
});
