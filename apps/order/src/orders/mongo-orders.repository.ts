import type { Collection, Db, Document, Filter } from 'mongodb';
import { MongoDurableIdempotencyRecords } from '@platform/idempotency';
import { MongoOutboxStore } from '@platform/messaging';
import { MongoSagaStore, type SagaState } from '@platform/saga';
import type { OrderLine } from '../domain/order';
import type { OrderSagaData } from '../domain/order-saga-data';
import type { NewOrder, OrderPosition, OrdersRepository, StoredOrder } from './orders.repository.port';

/** `_id` is the order id; `idempotency`, `saga` and `outbox` are written by their own stores. */
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
const readProjection = { outbox: 0, idempotency: 0 } as const;

export class MongoOrdersRepository implements OrdersRepository {
  readonly sagas: MongoSagaStore;
  readonly outbox: MongoOutboxStore;
  readonly idempotencyRecords: MongoDurableIdempotencyRecords;
  private readonly orders: Collection<OrderDocument>;

  constructor(db: Db, collectionName = 'orders') {
    this.orders = db.collection<OrderDocument>(collectionName);
    // The relay's removal of a published event can undo a saga write on FerretDB (it does not
    // serialise two updates of one document); the next read then rolls the lost transition forward.
    // Two seconds is far longer than a live writer takes between its commit record and its update.
    this.sagas = new MongoSagaStore(db, collectionName, { rollForwardAfterMs: 2000 });
    this.outbox = new MongoOutboxStore(db, collectionName);
    this.idempotencyRecords = new MongoDurableIdempotencyRecords(
      db.collection<Document>(collectionName),
      'idempotency',
    );
  }

  async ensureIndexes(): Promise<void> {
    await this.idempotencyRecords.ensureIndex();
    await this.orders.createIndex({ userId: 1, createdAt: -1, _id: -1 }, { name: 'user_newest_first' });
    await this.orders.createIndex({ createdAt: 1 }, { name: 'created_at' });
    await this.sagas.ensureIndexes();
    await this.outbox.ensureIndexes();
  }

  /** One insert holds the order and its key's record: both or neither. */
  async insert({ order, idempotency, traceparent }: NewOrder): Promise<void> {
    const { orderId, ...placed } = order;
    await this.idempotencyRecords.insertWith(idempotency.scope, idempotency.record, {
      _id: orderId,
      ...placed,
      traceparent,
      outbox: [],
    });
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

  async withoutSaga(placedBefore: Date, limit: number): Promise<StoredOrder[]> {
    const documents = await this.orders
      .find({ saga: { $exists: false }, createdAt: { $lte: placedBefore } }, { projection: readProjection })
      .limit(limit)
      .toArray();
    return documents.map(storedOrderOf);
  }
}

function storedOrderOf(document: OrderDocument): StoredOrder {
  const { _id, userId, items, totalCents, currency, paymentMethod, createdAt, traceparent, saga } = document;
  return {
    order: { orderId: _id, userId, items, totalCents, currency, paymentMethod, createdAt },
    saga,
    traceparent: traceparent ?? null,
  };
}
