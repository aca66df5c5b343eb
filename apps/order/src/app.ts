import type { INestApplication } from '@nestjs/common';
import type { Registry } from 'prom-client';
import { createHttpApp } from '@platform/http';
import { IdempotentHttp, IdempotentRequests } from '@platform/idempotency';
import { type MessagingConnection, connectMessaging } from '@platform/messaging';
import { createMetricsRegistry } from '@platform/observability';
import { SagaOrchestrator, UnfinishedSagaLimit } from '@platform/saga';
import { type OrderAdapters, connectedAdapters, inMemoryAdapters } from './adapters';
import type { OrderConfig } from './config';
import type { OrderSagaData } from './domain/order-saga-data';
import { GetOrder } from './get-order/get-order';
import { ListOrders } from './list-orders/list-orders';
import { OrderEventStreams } from './order-events/order-event-streams';
import { OrderServiceModule } from './order.module';
import { PlaceOrder } from './place-order/place-order';
import { InventoryPriceList } from './pricing/inventory-price-list';
import { orderCompletionMetrics } from './saga/order-completion-metrics';
import { orderSagaDefinition } from './saga/order-saga';
import { SagaClock } from './saga/saga-clock';

/** The order service, as main.ts, the embedded runner and the tests start it. */
export async function createApp(config: OrderConfig): Promise<INestApplication> {
  const adapters = config.PROFILE === 'embedded' ? inMemoryAdapters() : await connectedAdapters(config);
  const metricsRegistry = createMetricsRegistry('order');
  let messaging: MessagingConnection | undefined;
  try {
    messaging = await connectMessaging({
      service: 'order',
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
  config: OrderConfig,
  adapters: OrderAdapters,
  messaging: MessagingConnection,
  metricsRegistry: Registry,
): Promise<INestApplication> {
  const { orders } = adapters;
  const observeCompletion = orderCompletionMetrics(metricsRegistry);
  const definition = orderSagaDefinition({
    stockMs: config.ORDER_STOCK_TIMEOUT_MS,
    paymentMs: config.ORDER_PAYMENT_TIMEOUT_MS,
    compensationMs: config.ORDER_COMPENSATION_TIMEOUT_MS,
  });
  const admission = new UnfinishedSagaLimit({
    store: orders.sagas,
    saga: definition.name,
    max: config.ORDER_MAX_UNFINISHED,
    min: config.ORDER_MIN_UNFINISHED,
    // Orders decided within half the tightest step deadline are nowhere near TIMEOUT.
    targetMs: Math.min(config.ORDER_STOCK_TIMEOUT_MS, config.ORDER_PAYMENT_TIMEOUT_MS) / 2,
    metrics: metricsRegistry,
  });
  const orchestrator = new SagaOrchestrator<OrderSagaData>({
    definition,
    store: orders.sagas,
    metrics: metricsRegistry,
    onSaved: (state) => {
      const decidedInMs = observeCompletion(state);
      if (decidedInMs !== undefined) admission.finished(decidedInMs);
      adapters.statusChanges.publish(state.sagaId);
    },
  });
  const prices = new InventoryPriceList({
    baseUrl: config.INVENTORY_URL,
    timeoutMs: config.INVENTORY_TIMEOUT_MS,
    breakerResetMs: config.INVENTORY_BREAKER_RESET_MS,
    registry: metricsRegistry,
  });
  const sagaClock = new SagaClock(async () => {
    await orchestrator.tick();
  }, config.ORDER_SAGA_TICK_MS);
  const closables = [
    // The clock first: no saga work starts once messaging and the stores begin to close.
    { name: 'saga-clock', close: () => sagaClock.stop() },
    { name: 'messaging', close: () => messaging.close() },
    { name: 'inventory-client', close: () => prices.close() },
    ...adapters.closables,
  ];
  try {
    await messaging.bus.subscribe({
      ...orchestrator.subscription(config.KAFKA_CONSUMER_GROUP),
      startAt: config.KAFKA_AUTO_OFFSET_RESET,
    });
    messaging.startOutboxRelay(orders.outbox, { pollIntervalMs: config.OUTBOX_RELAY_INTERVAL_MS });
    // Whatever a previous process left: overdue steps fire.
    await orchestrator.resumeUnfinished();
    sagaClock.start();

    const getOrder = new GetOrder(orders);
    return await createHttpApp(
      OrderServiceModule.forRoot(config, {
        placeOrder: new PlaceOrder(orders, prices, orchestrator, admission),
        idempotentHttp: new IdempotentHttp(
          new IdempotentRequests(adapters.idempotencyLocks, orders.idempotencyRecords),
        ),
        getOrder,
        listOrders: new ListOrders(orders),
        eventStreams: new OrderEventStreams(getOrder, adapters.statusChanges, {
          pollMs: config.ORDER_EVENTS_POLL_MS,
          heartbeatMs: config.ORDER_EVENTS_HEARTBEAT_MS,
          maxStreamsPerUser: config.ORDER_EVENTS_MAX_STREAMS_PER_USER,
        }),
        readinessChecks: [...adapters.readinessChecks, ...messaging.readinessChecks],
        closables,
        metricsRegistry,
      }),
      { apiTitle: 'order' },
    );
  } catch (error) {
    await sagaClock.stop();
    await prices.close().catch(() => undefined);
    throw error;
  }
}
