import {
  type DurableIdempotencyRecords,
  DuplicateIdempotencyKeyError,
  scopedKey,
  type StoredIdempotencyField,
} from '@platform/idempotency';
import { InMemoryOutboxStore, outboxFieldsOf } from '@platform/messaging';
import { InMemorySagaStore, toOutboxEvents, type SagaDocument, type SagaState } from '@platform/saga';
import type { PlacedOrder } from '../domain/order';
import type { OrderSagaData } from '../domain/order-saga-data';
import type { NewOrder, OrderPosition, OrdersRepository, StoredOrder } from './orders.repository.port';

interface OrderDocument {
  order: PlacedOrder;
  traceparent: string | null;
  idempotency: StoredIdempotencyField;
  saga?: SagaState<OrderSagaData>;
}

/**
 * The embedded profile's orders. The saga store and the outbox share its map of documents, and
 * every method checks and writes with no await in between, which makes each write atomic in one
 * Node process, as a single-document write is in MongoDB.
 */
export class InMemoryOrdersRepository implements OrdersRepository {
  readonly documents = new Map<string, SagaDocument>();
  readonly outbox = new InMemoryOutboxStore(this.documents);
  readonly sagas = new InMemorySagaStore(this.documents, 'saga', this.outbox.written);
  /** The unique index on (user, key): scoped key → order id. */
  private readonly keys = new Map<string, string>();
  readonly idempotencyRecords: DurableIdempotencyRecords = {
    find: async (userId, key) => {
      const orderId = this.keys.get(scopedKey({ userId, key }));
      const stored = orderId === undefined ? undefined : this.documentOf(orderId)?.idempotency;
      return stored && structuredClone({ fingerprint: stored.fingerprint, response: stored.response });
    },
  };

  async ensureIndexes(): Promise<void> {
    // Maps are their own indexes.
  }

  async insert({ order, idempotency, traceparent, saga }: NewOrder): Promise<void> {
    const key = scopedKey(idempotency.scope);
    if (this.keys.has(key)) throw new DuplicateIdempotencyKeyError(idempotency.scope);
    if (this.documents.has(order.orderId)) throw new Error(`order ${order.orderId} exists already`);
    const events = toOutboxEvents(order.orderId, saga.commands, { now: order.createdAt, traceparent });
    const document: OrderDocument & SagaDocument = {
      order: structuredClone(order),
      traceparent,
      idempotency: { ...idempotency.scope, ...structuredClone(idempotency.record) },
      saga: structuredClone(saga.state),
      ...outboxFieldsOf(events),
    };
    this.keys.set(key, order.orderId);
    this.documents.set(order.orderId, document);
    this.outbox.written.notify({ aggregateId: order.orderId, events });
  }

  async find(orderId: string): Promise<StoredOrder | undefined> {
    const document = this.documentOf(orderId);
    return document && storedOrderOf(document);
  }

  async pageOf(userId: string, after: OrderPosition | undefined, limit: number): Promise<StoredOrder[]> {
    return this.all()
      .filter(({ order }) => order.userId === userId && (after === undefined || isAfter(order, after)))
      .sort((a, b) => newestFirst(a.order, b.order))
      .slice(0, limit)
      .map(storedOrderOf);
  }

  private all(): OrderDocument[] {
    return [...this.documents.keys()].flatMap((id) => this.documentOf(id) ?? []);
  }

  private documentOf(orderId: string): OrderDocument | undefined {
    return this.documents.get(orderId) as (OrderDocument & SagaDocument) | undefined;
  }
}

function storedOrderOf(document: OrderDocument): StoredOrder {
  return structuredClone({ order: document.order, saga: document.saga, traceparent: document.traceparent });
}

/** Newest first: createdAt descending, then orderId descending, so equal times still have one order. */
export function newestFirst(a: PlacedOrder, b: PlacedOrder): number {
  const byTime = b.createdAt.getTime() - a.createdAt.getTime();
  if (byTime !== 0) return byTime;
  return a.orderId < b.orderId ? 1 : a.orderId > b.orderId ? -1 : 0;
}

/** Whether `order` comes after `position` in the newest-first order. */
function isAfter(order: PlacedOrder, position: OrderPosition): boolean {
  return newestFirst(order, { ...order, createdAt: position.createdAt, orderId: position.orderId }) > 0;
}
