import type { Db } from 'mongodb';
import type { OrderFacts, OrderStatus, PendingOutboxEvent, SkuStock, StockLevel } from '../rules.ts';

/*
 * The MongoDB stores as the services write them: the inventory's `products` and `stock`
 * (apps/inventory/src/products, src/stock), the order service's `orders` with each order's saga
 * (apps/order/src/orders/mongo-orders.repository.ts), and the outbox every aggregate document
 * carries in its `outbox` array (libs/messaging/src/outbox/mongo-outbox-store.ts).
 */

interface ProductDocument {
  _id: string;
  initialStock: number;
}

type StockDocument = StockLevel & { _id: string };

/**
 * Every sku's stock: the inventory's ledger (`stock`, written from the first change of a sku on),
 * else the product's initial stock, untouched so far.
 */
export async function readStocks(inventory: Db): Promise<SkuStock[]> {
  const [products, stock] = await Promise.all([
    inventory
      .collection<ProductDocument>('products')
      .find({}, { projection: { initialStock: 1 } })
      .toArray(),
    inventory
      .collection<StockDocument>('stock')
      .find({}, { projection: { available: 1, reserved: 1, sold: 1, initial: 1, restocked: 1 } })
      .toArray(),
  ]);
  const levels = new Map<string, StockLevel>();
  for (const { _id, initialStock } of products)
    levels.set(_id, { available: initialStock, reserved: 0, sold: 0, initial: initialStock, restocked: 0 });
  for (const { _id, available, reserved, sold, initial, restocked } of stock)
    levels.set(_id, { available, reserved, sold, initial, restocked });
  return [...levels].map(([sku, level]) => ({ sku, level })).sort((a, b) => a.sku.localeCompare(b.sku));
}

/** libs/saga's statuses, and the order status each shows as (apps/order/src/domain/order-view.ts). */
const orderStatusOf: Record<string, OrderStatus> = {
  RUNNING: 'PENDING',
  COMPENSATING: 'PENDING',
  COMPLETED: 'CONFIRMED',
  CANCELLED: 'CANCELLED',
  COMPENSATION_FAILED: 'COMPENSATION_FAILED',
};

interface OrderDocument {
  _id: string;
  items?: { sku: string; quantity: number }[];
  totalCents?: number;
  saga?: { status: string; deadline: number | null; reason: string | null };
}

/** Every order, with its status, failure reason and deadline as its saga holds them. */
export async function readOrders(order: Db): Promise<OrderFacts[]> {
  const documents = await order
    .collection<OrderDocument>('orders')
    .find({}, { projection: { items: 1, totalCents: 1, saga: 1 } })
    .toArray();
  return documents.map(({ _id, items, totalCents, saga }) => ({
    orderId: _id,
    // An order is inserted with its saga's first state; one without reads as the order service shows it: PENDING.
    status: (saga && orderStatusOf[saga.status]) ?? 'PENDING',
    items: (items ?? []).map(({ sku, quantity }) => ({ sku, quantity })),
    totalCents: totalCents ?? 0,
    failureReason: saga?.reason ?? null,
    deadline: saga?.deadline ?? null,
  }));
}

interface OutboxEventDocument {
  id: string;
  type: string;
  occurredAt: Date;
}

/** The events still waiting in the outbox of any document of any collection of `databases`. */
export async function readMongoOutbox(databases: readonly Db[]): Promise<PendingOutboxEvent[]> {
  const pending: PendingOutboxEvent[] = [];
  for (const db of databases) {
    const collections = await db.listCollections({}, { nameOnly: true }).toArray();
    for (const { name } of collections) {
      if (name.startsWith('system.')) continue;
      const waiting = await db
        .collection<{ _id: string; outbox: OutboxEventDocument[] }>(name)
        .find({ 'outbox.0': { $exists: true } }, { projection: { outbox: 1 } })
        .toArray();
      for (const { _id, outbox } of waiting)
        for (const event of outbox)
          pending.push({
            store: `${db.databaseName}.${name}`,
            aggregateId: String(_id),
            eventId: event.id,
            type: event.type,
            occurredAt: new Date(event.occurredAt).getTime(),
          });
    }
  }
  return pending;
}
