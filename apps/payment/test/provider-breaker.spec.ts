import { embeddedMessageBus } from '@platform/messaging';
import { eventually, type RunningApp } from '@platform/testing';
import { anAuthorizePayment } from './support/commands';
import { type FakeProvider, startFakeProvider } from './support/fake-provider';
import { type PaymentEventLog, listenToPaymentEvents } from './support/payment-events';
import { startEmbeddedPayment } from './support/payment-app';

const orderIdOf = (message: { data: unknown }) => (message.data as { orderId: string }).orderId;

describe('payment with a failing provider (embedded profile)', () => {
  let provider: FakeProvider;
  let service: RunningApp;
  let events: PaymentEventLog;
  beforeAll(async () => {
    provider = await startFakeProvider('server-error');
    service = await startEmbeddedPayment({
      PROVIDER_URL: provider.url,
      PROVIDER_MAX_ATTEMPTS: '1',
      PROVIDER_BREAKER_VOLUME_THRESHOLD: '2',
      PROVIDER_BREAKER_RESET_MS: '200',
    });
    events = await listenToPaymentEvents(embeddedMessageBus());
  });
  afterAll(async () => {
    await events.stop();
    await service.close();
    await provider.close();
  });

  /** Authorizes a new order and returns its outcome event. */
  const authorizeOne = async () => {
    const command = anAuthorizePayment();
    await embeddedMessageBus().publish(command);
    const [outcome] = await events.waitFor(orderIdOf(command), 1);
    return outcome!;
  };

  it('when the provider keeps failing, then the breaker opens: PaymentFailed(PROVIDER_UNAVAILABLE) without a call; it closes after recovery', async () => {
    expect(await authorizeOne()).toMatchObject({ data: { reason: 'PROVIDER_ERROR' } });
    expect(await authorizeOne()).toMatchObject({ data: { reason: 'PROVIDER_ERROR' } });
    const callsBefore = provider.requests.length;
    expect(await authorizeOne()).toMatchObject({
      type: 'platform.payments.payment-failed.v1',
      data: { reason: 'PROVIDER_UNAVAILABLE' },
    });
    expect(provider.requests).toHaveLength(callsBefore);

    provider.behaviour = 'approve';
    // Once the breaker half-opens, the trial call reaches the recovered provider and closes it.
    const authorized = await eventually(
      async () => {
        const outcome = await authorizeOne();
        return outcome.type === 'platform.payments.payment-authorized.v1' ? outcome : undefined;
      },
      10_000,
      50,
    );
    expect(authorized.data).toMatchObject({ paymentId: expect.any(String) });
    expect(await authorizeOne()).toMatchObject({ type: 'platform.payments.payment-authorized.v1' });
  });
});
