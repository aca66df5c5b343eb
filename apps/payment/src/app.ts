import type { INestApplication } from '@nestjs/common';
import { createHttpApp } from '@platform/http';
import { createMetricsRegistry } from '@platform/observability';
import type { Closable } from '@platform/persistence';
import type { Registry } from 'prom-client';
import { type PaymentAdapters, connectedAdapters, inMemoryAdapters } from './adapters';
import type { PaymentConfig } from './config';
import { AuthorizePaymentHandler } from './handling/authorize-payment';
import { paymentHandlers } from './handling/payment-handlers';
import { RefundPaymentHandler } from './handling/refund-payment';
import { PaymentServiceModule } from './payment.module';
import { HttpPaymentProvider } from './provider/http-payment-provider';
import type { PaymentProvider } from './provider/payment-provider';

/** Seams for tests. */
export interface PaymentAppOptions {
  /** When a payment is created and its events occur; the system clock where absent. */
  clock?: () => Date;
  /** How often the outbox relay looks for pending events. */
  relayPollIntervalMs?: number;
}

/** The payment service, as main.ts, the embedded runner and the tests start it. */
export async function createApp(
  config: PaymentConfig,
  options: PaymentAppOptions = {},
): Promise<INestApplication> {
  // Made before Nest starts: the consumers and the provider client record their metrics in it from the first message.
  const metricsRegistry = createMetricsRegistry('payment');
  const adapters =
    config.PROFILE === 'embedded'
      ? await inMemoryAdapters(metricsRegistry)
      : await connectedAdapters(config, metricsRegistry);
  const provider = new HttpPaymentProvider(config, metricsRegistry);
  // After messaging: no handler calls the provider any more when it closes.
  const closables: Closable[] = [
    ...adapters.closables,
    { name: 'payment-provider', close: () => provider.close() },
  ];
  try {
    return await createAppWith(config, { ...adapters, closables }, provider, options, metricsRegistry);
  } catch (error) {
    await Promise.allSettled(closables.map((closable) => closable.close()));
    throw error;
  }
}

async function createAppWith(
  config: PaymentConfig,
  adapters: PaymentAdapters,
  provider: PaymentProvider,
  options: PaymentAppOptions,
  metricsRegistry: Registry,
): Promise<INestApplication> {
  const app = await createHttpApp(
    PaymentServiceModule.forRoot(config, {
      store: adapters.store,
      readinessChecks: adapters.readinessChecks,
      closables: adapters.closables,
      metricsRegistry,
    }),
    { apiTitle: 'payment' },
  );
  try {
    // Both stopped by the messaging connection's close, the first closable on shutdown.
    adapters.messaging.startOutboxRelay(adapters.outbox, {
      ...(options.relayPollIntervalMs && { pollIntervalMs: options.relayPollIntervalMs }),
    });
    await adapters.messaging.bus.subscribe({
      groupId: config.KAFKA_CONSUMER_GROUP,
      startAt: config.KAFKA_AUTO_OFFSET_RESET,
      handlers: paymentHandlers({
        authorize: new AuthorizePaymentHandler(adapters.store, provider, options.clock),
        refund: new RefundPaymentHandler(adapters.store, provider, options.clock),
      }),
    });
  } catch (error) {
    await app.close();
    throw error;
  }
  return app;
}
