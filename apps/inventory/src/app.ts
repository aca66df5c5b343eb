import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { INestApplication } from '@nestjs/common';
import { createHttpApp } from '@platform/http';
import { type MessagingConnection, connectMessaging } from '@platform/messaging';
import { createMetricsRegistry } from '@platform/observability';
import type { Registry } from 'prom-client';
import { type InventoryAdapters, connectedAdapters, inMemoryAdapters } from './adapters';
import type { InventoryConfig } from './config';
import { InventoryServiceModule } from './inventory.module';
import { CreateProduct } from './products/create-product/create-product';
import { invalidateCacheWhenProductChanged } from './products/invalidate-cache-when-product-changed.handler';
import { ProductCatalogue } from './products/product-catalogue';
import { RestockProduct } from './products/restock/restock-product';
import { seedDemoCatalogue } from './products/seed-demo-catalogue';
import { CommitStock } from './reservations/commit-stock';
import { OrderStockSteps } from './reservations/order-stock-steps';
import { ReleaseStock } from './reservations/release-stock';
import { ReserveStock } from './reservations/reserve-stock';
import { stockCommandsSubscription } from './reservations/stock-commands.subscription';
import { StockChanges } from './stock/stock-changes';

/** The inventory service, as main.ts, the embedded runner and the tests start it. */
export async function createApp(config: InventoryConfig): Promise<INestApplication> {
  const adapters = config.PROFILE === 'embedded' ? inMemoryAdapters(config) : await connectedAdapters(config);
  const metricsRegistry = createMetricsRegistry('inventory');
  let messaging: MessagingConnection | undefined;
  try {
    messaging = await connectMessaging({
      service: 'inventory',
      profile: config.PROFILE,
      brokers: config.KAFKA_BROKERS,
      topicPartitions: config.KAFKA_TOPIC_PARTITIONS,
      topicReplicationFactor: config.KAFKA_TOPIC_REPLICATION_FACTOR,
      metrics: metricsRegistry,
    });
    return await createAppWith(config, adapters, messaging, metricsRegistry);
  } catch (error) {
    await messaging?.close().catch(() => undefined);
    await Promise.allSettled(adapters.closables.map((closable) => closable.close()));
    throw error;
  }
}

async function createAppWith(
  config: InventoryConfig,
  adapters: InventoryAdapters,
  messaging: MessagingConnection,
  metricsRegistry: Registry,
): Promise<INestApplication> {
  const { products, reservations, inbox, cache } = adapters;
  const stock = new StockChanges(adapters.stock, products, cache);
  const steps = new OrderStockSteps(stock);
  const createProduct = new CreateProduct(products, cache);
  if (config.PROFILE === 'embedded' || config.PROFILE === 'local') await seedDemoCatalogue(createProduct);

  await messaging.bus.subscribe(
    stockCommandsSubscription(
      config.KAFKA_CONSUMER_GROUP,
      inbox,
      {
        reserveStock: new ReserveStock(reservations, stock, steps),
        commitStock: new CommitStock(reservations, steps),
        releaseStock: new ReleaseStock(reservations, steps),
      },
      config.KAFKA_AUTO_OFFSET_RESET,
    ),
  );
  const instance = `${hostname()}-${process.pid}-${randomUUID().slice(0, 8)}`;
  await messaging.bus.subscribe(
    invalidateCacheWhenProductChanged(`${config.KAFKA_CONSUMER_GROUP}.cache.${instance}`, cache),
  );
  for (const outbox of [products.outbox, adapters.stock.outbox, reservations.outbox])
    messaging.startOutboxRelay(outbox);

  return createHttpApp(
    InventoryServiceModule.forRoot(config, {
      catalogue: new ProductCatalogue(products, stock, cache),
      createProduct,
      restockProduct: new RestockProduct(stock),
      readinessChecks: [...adapters.readinessChecks, ...messaging.readinessChecks],
      // Closed in order: messaging first (relays stop, in-flight handlers finish), then the stores they use.
      closables: [{ name: 'messaging', close: () => messaging.close() }, ...adapters.closables],
      metricsRegistry,
    }),
    { apiTitle: 'inventory' },
  );
}
