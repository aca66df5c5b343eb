import type { Collection, Db, Document, Filter } from 'mongodb';
import { MongoDurableIdempotencyRecords } from '@platform/idempotency';
import { MongoOutboxStore, type OutboxSignal, outboxFieldsOf, withOutboxAppended } from '@platform/messaging';
import {
  toOutboxEvents,
  unfinishedStatuses,
  type OutgoingCommand,
  type SagaState,
  type SagaStore,
  type SaveContext,
} from '@platform/saga';
import type { OrderLine } from '../domain/order';
import type { OrderSagaData } from '../domain/order-saga-data';
import type { NewOrder, OrderPosition, OrdersRepository, StoredOrder } from './orders.repository.port';

/**
 * One document per order, written only here: the order as placed, its Idempotency-Key record
 * (`idempotency`), its saga's state (`saga`) and the events waiting to be published (`outbox`,
 * `outboxPending`, `outboxLease`, whose bookkeeping the outbox store does on this repository's
 * behalf). `_id` is the order id.
 */
interface OrderDocument {
  _id: string;
  userId: string;
  items: OrderLine[];
  totalCents: number;
  currency: string;
  paymentMethod: string;
  createdAt: Date;
  traceparent: string | null;
  saga?: SagaState<OrderSagaData>;
}

/** What a reader needs: not the outbox nor the stored response. */
const readProjection = { outbox: 0, outboxLease: 0, idempotency: 0 } as const;

export class MongoOrdersRepository implements OrdersRepository {
  readonly sagas: SagaStore;
  readonly outbox: MongoOutboxStore;
  readonly idempotencyRecords: MongoDurableIdempotencyRecords;
  private readonly orders: Collection<OrderDocument>;

  constructor(db: Db, collectionName = 'orders') {
    this.orders = db.collection<OrderDocument>(collectionName);
    this.outbox = new MongoOutboxStore(db, collectionName);
    this.sagas = new OrderSagas(this.orders, this.outbox.written);
    this.idempotencyRecords = new MongoDurableIdempotencyRecords(
      db.collection<Document>(collectionName),
      'idempotency',
    );
  }

  async ensureIndexes(): Promise<void> {
    await this.idempotencyRecords.ensureIndex();
    await this.orders.createIndex({ userId: 1, createdAt: -1, _id: -1 }, { name: 'user_newest_first' });
    await this.sagas.ensureIndexes();
    await this.outbox.ensureIndexes();
  }

  /** One insert holds the order, its key's record, its saga's first state and first events. */
  async insert({ order, idempotency, traceparent, saga }: NewOrder): Promise<void> {
    const { orderId, ...placed } = order;
    const events = toOutboxEvents(orderId, saga.commands, { now: order.createdAt, traceparent });
    await this.idempotencyRecords.insertWith(idempotency.scope, idempotency.record, {
      _id: orderId,
      ...placed,
      traceparent,
      saga: saga.state,
      ...outboxFieldsOf(events),
    });
    this.outbox.written.notify({ aggregateId: orderId, events });
  }

  async find(orderId: string): Promise<StoredOrder | undefined> {
    const document = await this.orders.findOne({ _id: orderId }, { projection: readProjection });
    return document ? storedOrderOf(document) : undefined;
  }

  async pageOf(userId: string, after: OrderPosition | undefined, limit: number): Promise<StoredOrder[]> {
    const filter: Filter<OrderDocument> =
      after === undefined
        ? { userId }
        : {
            userId,
            $or: [
              { createdAt: { $lt: after.createdAt } },
              { createdAt: after.createdAt, _id: { $lt: after.orderId } },
            ],
          };
    const documents = await this.orders
      .find(filter, { projection: readProjection })
      .sort({ createdAt: -1, _id: -1 })
      .limit(limit)
      .toArray();
    return documents.map(storedOrderOf);
  }
}

/**
 * The order saga's store over the orders' documents: each transition is one update of the
 * order's `saga` guarded by the version it was decided on, with its commands appended to the
 * outbox in the same write, so of two writers of one version exactly one commits.
 */
class OrderSagas implements SagaStore {
  constructor(
    private readonly orders: Collection<OrderDocument>,
    private readonly written: OutboxSignal,
  ) {}

  async ensureIndexes(): Promise<void> {
    // findDue, findUnfinished: equality on the saga's name and status picks the unfinished ones.
    await this.orders.createIndex(
      { 'saga.saga': 1, 'saga.status': 1, 'saga.deadline': 1 },
      { name: 'saga_due' },
    );
  }

  async load<TData>(sagaId: string): Promise<SagaState<TData> | undefined> {
    const document = await this.orders.findOne({ _id: sagaId }, { projection: { saga: 1 } });
    return document?.saga as SagaState<TData> | undefined;
  }

  async save(
    state: SagaState<unknown>,
    commands: readonly OutgoingCommand[],
    context: SaveContext,
  ): Promise<boolean> {
    const events = toOutboxEvents(state.sagaId, commands, context);
    const previous: Filter<OrderDocument> =
      state.version === 1 ? { saga: { $exists: false } } : { 'saga.version': state.version - 1 };
    const { matchedCount } = await this.orders.updateOne(
      { _id: state.sagaId, ...previous },
      withOutboxAppended({ $set: { saga: state as SagaState<OrderSagaData> } }, events),
    );
    if (matchedCount === 1 && events.length > 0) this.written.notify({ aggregateId: state.sagaId, events });
    return matchedCount === 1;
  }

  async findDue(saga: string, now: number, limit: number): Promise<string[]> {
    const due = await this.orders
      .find({ ...unfinished(saga), 'saga.deadline': { $lte: now } }, { projection: { _id: 1 } })
      .limit(limit)
      .toArray();
    return due.map((document) => document._id);
  }

  async findUnfinished(saga: string): Promise<string[]> {
    const found = await this.orders.find(unfinished(saga), { projection: { _id: 1 } }).toArray();
    return found.map((document) => document._id);
  }

  async countUnfinished(saga: string): Promise<number> {
    return this.orders.countDocuments(unfinished(saga));
  }
}

function unfinished(saga: string): Filter<OrderDocument> {
  return { 'saga.saga': saga, 'saga.status': { $in: [...unfinishedStatuses] } };
}

function storedOrderOf(document: OrderDocument): StoredOrder {
  const { _id, userId, items, totalCents, currency, paymentMethod, createdAt, traceparent, saga } = document;
  return {
    order: { orderId: _id, userId, items, totalCents, currency, paymentMethod, createdAt },
    saga,
    traceparent: traceparent ?? null,
  };
}
