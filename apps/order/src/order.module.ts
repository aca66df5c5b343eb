import { type DynamicModule, Module } from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import type { Registry } from 'prom-client';
import { AuthModule } from '@platform/auth';
import { IdempotentHttp } from '@platform/idempotency';
import { ObservabilityModule, type ReadinessCheck } from '@platform/observability';
import { type Closable, ConnectionsModule } from '@platform/persistence';
import type { OrderConfig } from './config';
import { GetOrder } from './get-order/get-order';
import { GetOrderController } from './get-order/get-order.controller';
import { OrderErrorsInterceptor } from './http-edge/order-errors.interceptor';
import { ListOrders } from './list-orders/list-orders';
import { ListOrdersController } from './list-orders/list-orders.controller';
import { OrderEventStreams } from './order-events/order-event-streams';
import { OrderEventsController } from './order-events/order-events.controller';
import { PlaceOrder } from './place-order/place-order';
import { PlaceOrderController } from './place-order/place-order.controller';

/** Everything createApp built before Nest starts: adapters chosen by profile, use cases wired to them. */
export interface OrderComponents {
  placeOrder: PlaceOrder;
  idempotentHttp: IdempotentHttp;
  getOrder: GetOrder;
  listOrders: ListOrders;
  eventStreams: OrderEventStreams;
  readinessChecks: ReadinessCheck[];
  /** Closed in order: the saga clock, then messaging, then the stores they use. */
  closables: Closable[];
  /** Created before Nest starts, so the consumers and the saga report into the same /metrics. */
  metricsRegistry: Registry;
}

@Module({})
export class OrderServiceModule {
  static forRoot(config: OrderConfig, components: OrderComponents): DynamicModule {
    return {
      module: OrderServiceModule,
      imports: [
        ObservabilityModule.forRoot({
          serviceName: 'order',
          logLevel: config.LOG_LEVEL,
          logFormat: config.LOG_FORMAT,
          readinessChecks: components.readinessChecks,
          metricsRegistry: components.metricsRegistry,
        }),
        ConnectionsModule.forRoot(components.closables),
        AuthModule.forService(config),
      ],
      controllers: [PlaceOrderController, ListOrdersController, GetOrderController, OrderEventsController],
      providers: [
        { provide: APP_INTERCEPTOR, useClass: OrderErrorsInterceptor },
        { provide: PlaceOrder, useValue: components.placeOrder },
        { provide: IdempotentHttp, useValue: components.idempotentHttp },
        { provide: GetOrder, useValue: components.getOrder },
        { provide: ListOrders, useValue: components.listOrders },
        { provide: OrderEventStreams, useValue: components.eventStreams },
      ],
    };
  }
}
