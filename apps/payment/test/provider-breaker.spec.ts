import { embeddedMessageBus } from '@platform/messaging';
import { eventually, freePort, type RunningApp } from '@platform/testing';
import { anAuthorizePayment } from './support/commands';
import { type FakeProvider, startFakeProvider } from './support/fake-provider';
import { type PaymentEventLog, listenToPaymentEvents } from './support/payment-events';
import { startEmbeddedPayment } from './support/payment-app';

const orderIdOf = (message: { data: unknown }) => (message.data as { orderId: string }).orderId;
const authorized = 'platform.payments.payment-authorized.v1';

/** The breaker's state as /metrics exposes it: 0 closed, 1 half-open, 2 open. */
async function breakerState(service: RunningApp): Promise<number | undefined> {
  const text = await (await fetch(`${service.baseUrl}/metrics`)).text();
  const line = /^resilience_circuit_state\{[^}]*name="payment-provider"[^}]*\} (\d)/m.exec(text);
  return line ? Number(line[1]) : undefined;
}

describe('payment with a failing provider (embedded profile)', () => {
  let events: PaymentEventLog;
  beforeAll(async () => {
    events = await listenToPaymentEvents(embeddedMessageBus());
  });
  afterAll(async () => {
    await events.stop();
  });

  /** Authorizes a new order and returns its order id. */
  const publishOne = async () => {
    const command = anAuthorizePayment();
    await embeddedMessageBus().publish(command);
    return orderIdOf(command);
  };
  /** Authorizes a new order and returns its answer. */
  const authorizeOne = async () => {
    const orderId = await publishOne();
    const [outcome] = await events.waitFor(orderId, 1);
    if (!outcome) throw new Error('no answer');
    return outcome;
  };

  describe('when the provider answers 5xx', () => {
    let provider: FakeProvider;
    let service: RunningApp;
    beforeAll(async () => {
      provider = await startFakeProvider('server-error');
      service = await startEmbeddedPayment({
        PROVIDER_URL: provider.url,
        PROVIDER_MAX_ATTEMPTS: '1',
        PROVIDER_BREAKER_VOLUME_THRESHOLD: '2',
        PROVIDER_BREAKER_RESET_MS: '200',
      });
    });
    afterAll(async () => {
      await service.close();
      await provider.close();
    });

    it('then the breaker opens: PaymentFailed(PROVIDER_UNAVAILABLE) without a call; it closes after the provider recovers', async () => {
      expect(await authorizeOne()).toMatchObject({ data: { reason: 'PROVIDER_ERROR' } });
      expect(await authorizeOne()).toMatchObject({ data: { reason: 'PROVIDER_ERROR' } });
      const callsBefore = provider.requests.length;
      expect(await authorizeOne()).toMatchObject({
        type: 'platform.payments.payment-failed.v1',
        data: { reason: 'PROVIDER_UNAVAILABLE' },
      });
      expect(provider.requests).toHaveLength(callsBefore);
      expect(await breakerState(service)).toBe(2);

      provider.behaviour = 'approve';
      // Once the breaker half-opens, the trial call reaches the recovered provider and closes it.
      await eventually(
        async () => ((await authorizeOne()).type === authorized ? true : undefined),
        10_000,
        50,
      );
      expect(await authorizeOne()).toMatchObject({ type: authorized });
      expect(await breakerState(service)).toBe(0);
    });
  });

  describe('when the provider is too slow (every call times out)', () => {
    let provider: FakeProvider;
    let service: RunningApp;
    beforeAll(async () => {
      provider = await startFakeProvider('hang');
      service = await startEmbeddedPayment({
        PROVIDER_URL: provider.url,
        PROVIDER_TIMEOUT_MS: '200',
        PROVIDER_MAX_ATTEMPTS: '1',
        PROVIDER_BREAKER_VOLUME_THRESHOLD: '2',
        PROVIDER_BREAKER_RESET_MS: '300',
      });
    });
    afterAll(async () => {
      await service.close();
      await provider.close();
    });

    it('then the timed-out payments wait unanswered, the breaker opens and new ones fail fast; after recovery the waiting ones are authorized late', async () => {
      const inDoubt = [await publishOne(), await publishOne()];
      await eventually(async () => ((await breakerState(service)) === 2 ? true : undefined), 10_000, 20);
      for (const orderId of inDoubt) expect(events.of(orderId)).toEqual([]);
      const refused = await authorizeOne();
      expect(refused).toMatchObject({ data: { reason: 'PROVIDER_UNAVAILABLE' } });
      expect(provider.requestsFor(orderIdOf(refused))).toEqual([]);

      provider.behaviour = 'approve';
      // The reconciler's calls are the breaker's trial calls; each waiting payment gets its late answer.
      for (const orderId of inDoubt)
        expect((await events.waitFor(orderId, 1, 20_000))[0]).toMatchObject({ type: authorized });
      for (const orderId of inDoubt) expect(provider.charges(orderId)).toHaveLength(1);
      expect(await authorizeOne()).toMatchObject({ type: authorized });
      expect(await breakerState(service)).toBe(0);
    }, 30_000);
  });

  describe('when nothing listens at the provider address', () => {
    let service: RunningApp;
    beforeAll(async () => {
      service = await startEmbeddedPayment({
        PROVIDER_URL: `http://127.0.0.1:${await freePort()}`,
        PROVIDER_BREAKER_VOLUME_THRESHOLD: '1000',
      });
    });
    afterAll(async () => {
      await service.close();
    });

    it('then nothing can have been charged: PaymentFailed(PROVIDER_UNAVAILABLE) at once', async () => {
      expect(await authorizeOne()).toMatchObject({
        type: 'platform.payments.payment-failed.v1',
        data: { reason: 'PROVIDER_UNAVAILABLE', detail: expect.stringMatching(/could not be reached/) },
      });
    });
  });
});
