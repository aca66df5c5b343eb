import type { INestApplication } from '@nestjs/common';
import { createHttpApp } from '@platform/http';
import { createMetricsRegistry } from '@platform/observability';
import type { Closable } from '@platform/persistence';
import type { Registry } from 'prom-client';
import { type PaymentAdapters, connectedAdapters, inMemoryAdapters } from './adapters';
import { AuthorizePaymentHandler } from './authorize/authorize-payment.handler';
import { type PaymentConfig, firstCallBudgetMs } from './config';
import { paymentCommandsSubscription } from './payment-commands.subscription';
import { PaymentServiceModule } from './payment.module';
import { HttpPaymentProvider } from './provider/http-payment-provider';
import { PaymentReconciler } from './reconcile/payment-reconciler';
import { RefundPaymentHandler } from './refund/refund-payment.handler';
import { PaymentSettlement } from './settle/payment-settlement';

/** Seams for tests. */
export interface PaymentAppOptions {
  /** When payments are created, events occur and marks age; the system clock where absent. */
  clock?: () => Date;
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
  const settlement = new PaymentSettlement(adapters.store, provider, options.clock);
  const reconciler = new PaymentReconciler(adapters.store, settlement, {
    intervalMs: config.PAYMENT_RECONCILE_INTERVAL_MS,
    settleAfterMs: firstCallBudgetMs(config),
    metrics: metricsRegistry,
    ...(options.clock && { clock: options.clock }),
  });
  // Closed in this order: no reconciling and no handler call the provider or the store any more when they close.
  const closables: Closable[] = [
    { name: 'payment-reconciler', close: () => reconciler.stop() },
    ...adapters.closables,
    { name: 'payment-provider', close: () => provider.close() },
  ];
  try {
    return await createAppWith(
      config,
      { ...adapters, closables },
      { settlement, reconciler },
      options,
      metricsRegistry,
    );
  } catch (error) {
    // One after the other, in the order above.
    for (const closable of closables) await closable.close().catch(() => undefined);
    throw error;
  }
}

interface PaymentWork {
  settlement: PaymentSettlement;
  reconciler: PaymentReconciler;
}

async function createAppWith(
  config: PaymentConfig,
  adapters: PaymentAdapters,
  work: PaymentWork,
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
    // Stopped by the messaging connection's close.
    adapters.messaging.startOutboxRelay(adapters.outbox, { pollIntervalMs: config.OUTBOX_RELAY_INTERVAL_MS });
    await adapters.messaging.bus.subscribe(
      paymentCommandsSubscription(config.KAFKA_CONSUMER_GROUP, config.KAFKA_AUTO_OFFSET_RESET, {
        authorize: new AuthorizePaymentHandler(adapters.store, work.settlement, options.clock),
        refund: new RefundPaymentHandler(adapters.store, work.settlement, options.clock),
      }),
    );
    work.reconciler.start();
  } catch (error) {
    await app.close();
    throw error;
  }
  return app;
}
