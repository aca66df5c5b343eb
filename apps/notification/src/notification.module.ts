import { type DynamicModule, Module } from '@nestjs/common';
import type { Registry } from 'prom-client';
import { AuthModule } from '@platform/auth';
import { ObservabilityModule, type ReadinessCheck } from '@platform/observability';
import { type Closable, ConnectionsModule } from '@platform/persistence';
import type { NotificationConfig } from './config';
import { NotificationsController } from './listing/notifications.controller';
import { NOTIFICATION_STORE, type NotificationStore } from './store/notification-store.port';

/** Everything createApp built before Nest starts. */
export interface NotificationComponents {
  store: NotificationStore;
  readinessChecks: ReadinessCheck[];
  closables: Closable[];
  metricsRegistry: Registry;
}

@Module({})
export class NotificationServiceModule {
  static forRoot(config: NotificationConfig, components: NotificationComponents): DynamicModule {
    return {
      module: NotificationServiceModule,
      imports: [
        ObservabilityModule.forRoot({
          serviceName: 'notification',
          logLevel: config.LOG_LEVEL,
          logFormat: config.LOG_FORMAT,
          readinessChecks: components.readinessChecks,
          metricsRegistry: components.metricsRegistry,
        }),
        ConnectionsModule.forRoot(components.closables),
        AuthModule.forService(config),
      ],
      controllers: [NotificationsController],
      providers: [{ provide: NOTIFICATION_STORE, useValue: components.store }],
    };
  }
}
