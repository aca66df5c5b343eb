import { type DynamicModule, Module } from '@nestjs/common';
import type { Registry } from 'prom-client';
import { AuthModule } from '@platform/auth';
import { ObservabilityModule, type ReadinessCheck } from '@platform/observability';
import { type Closable, ConnectionsModule } from '@platform/persistence';
import { PaymentsController } from './api/payments.controller';
import type { PaymentConfig } from './config';
import { PAYMENT_STORE, type PaymentStore } from './store/payment-store.port';

/** Everything createApp built before Nest starts. */
export interface PaymentComponents {
  store: PaymentStore;
  readinessChecks: ReadinessCheck[];
  closables: Closable[];
  metricsRegistry: Registry;
}

@Module({})
export class PaymentServiceModule {
  static forRoot(config: PaymentConfig, components: PaymentComponents): DynamicModule {
    return {
      module: PaymentServiceModule,
      imports: [
        ObservabilityModule.forRoot({
          serviceName: 'payment',
          logLevel: config.LOG_LEVEL,
          logFormat: config.LOG_FORMAT,
          readinessChecks: components.readinessChecks,
          metricsRegistry: components.metricsRegistry,
        }),
        ConnectionsModule.forRoot(components.closables),
        AuthModule.forService(config),
      ],
      controllers: [PaymentsController],
      providers: [{ provide: PAYMENT_STORE, useValue: components.store }],
    };
  }
}
