import type { INestApplication } from '@nestjs/common';
import { createHttpApp } from '@platform/http';
import { createMetricsRegistry } from '@platform/observability';
import type { Registry } from 'prom-client';
import { type NotificationAdapters, connectedAdapters, inMemoryAdapters } from './adapters';
import type { NotificationConfig } from './config';
import { notificationHandlers } from './consuming/notification-handlers';
import { NotificationServiceModule } from './notification.module';
import type { NotificationStore } from './store/notification-store.port';

/** Seams for tests: e.g. a store that fails once, to prove the bus delivers the event again. */
export interface NotificationAppOptions {
  decorateStore?: (store: NotificationStore) => NotificationStore;
  /** When a notification is created; the system clock where absent. */
  clock?: () => Date;
}

/** The notification service, as main.ts, the embedded runner and the tests start it. */
export async function createApp(
  config: NotificationConfig,
  options: NotificationAppOptions = {},
): Promise<INestApplication> {
  // Made before Nest starts: the consumers record their metrics in it from the first message.
  const metricsRegistry = createMetricsRegistry('notification');
  const adapters =
    config.PROFILE === 'embedded'
      ? await inMemoryAdapters(metricsRegistry, options.clock)
      : await connectedAdapters(config, metricsRegistry, options.clock);
  try {
    return await createAppWith(config, adapters, options, metricsRegistry);
  } catch (error) {
    await Promise.allSettled(adapters.closables.map((closable) => closable.close()));
    throw error;
  }
}

async function createAppWith(
  config: NotificationConfig,
  adapters: NotificationAdapters,
  options: NotificationAppOptions,
  metricsRegistry: Registry,
): Promise<INestApplication> {
  const store = options.decorateStore?.(adapters.store) ?? adapters.store;
  const app = await createHttpApp(
    NotificationServiceModule.forRoot(config, {
      store,
      readinessChecks: adapters.readinessChecks,
      closables: adapters.closables,
      metricsRegistry,
    }),
    { apiTitle: 'notification' },
  );
  try {
    // Stopped by the messaging connection's close, the first closable on shutdown.
    await adapters.messaging.bus.subscribe({
      groupId: config.KAFKA_CONSUMER_GROUP,
      startAt: config.KAFKA_AUTO_OFFSET_RESET,
      handlers: notificationHandlers(store),
    });
  } catch (error) {
    await app.close();
    throw error;
  }
  return app;
}
