import { type DynamicModule, Module } from '@nestjs/common';
import type { Registry } from 'prom-client';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { AuthModule } from '@platform/auth';
import { ObservabilityModule, type ReadinessCheck } from '@platform/observability';
import { type Closable, ConnectionsModule } from '@platform/persistence';
import type { InventoryConfig } from './config';
import { InventoryErrorsInterceptor } from './http-edge/inventory-errors.interceptor';
import { CreateProduct } from './products/create-product/create-product';
import { ProductCatalogue } from './products/product-catalogue';
import { ProductsController } from './products/products.controller';
import { RestockProduct } from './products/restock/restock-product';

/** Everything createApp built before Nest starts: adapters chosen by profile, use cases wired to them. */
export interface InventoryComponents {
  catalogue: ProductCatalogue;
  createProduct: CreateProduct;
  restockProduct: RestockProduct;
  readinessChecks: ReadinessCheck[];
  /** Closed in order: messaging first, so handlers finish before the stores they write close. */
  closables: Closable[];
  /** Created before Nest starts, so the message consumers report into the same /metrics. */
  metricsRegistry: Registry;
}

@Module({})
export class InventoryServiceModule {
  static forRoot(config: InventoryConfig, components: InventoryComponents): DynamicModule {
    return {
      module: InventoryServiceModule,
      imports: [
        ObservabilityModule.forRoot({
          serviceName: 'inventory',
          logLevel: config.LOG_LEVEL,
          logFormat: config.LOG_FORMAT,
          readinessChecks: components.readinessChecks,
          metricsRegistry: components.metricsRegistry,
        }),
        ConnectionsModule.forRoot(components.closables),
        AuthModule.forService(config),
      ],
      controllers: [ProductsController],
      providers: [
        { provide: APP_INTERCEPTOR, useClass: InventoryErrorsInterceptor },
        { provide: ProductCatalogue, useValue: components.catalogue },
        { provide: CreateProduct, useValue: components.createProduct },
        { provide: RestockProduct, useValue: components.restockProduct },
      ],
    };
  }
}
