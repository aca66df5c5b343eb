import { MongoServerError, type Collection, type Db } from 'mongodb';
import { MongoOutboxStore, type OutboxDocument, type StoredOutboxEvent } from '@platform/messaging';
import {
  type ReservationDecision,
  type ReservationsRepository,
  type Settlement,
  reservationIds,
} from './reservations.repository.port';

type ReservationDocument = OutboxDocument & {
  _id: string;
  kind: 'decision' | 'settlement' | 'reply';
  orderId: string;
  [field: string]: unknown;
};

const duplicateKey = 11000;

/** Decisions, settlements and replies in one collection, which is also their outbox. */
export class MongoReservationsRepository implements ReservationsRepository {
  private readonly documents: Collection<ReservationDocument>;
  readonly outbox: MongoOutboxStore;

  constructor(db: Db, collectionName = 'reservations') {
    this.documents = db.collection<ReservationDocument>(collectionName);
    this.outbox = new MongoOutboxStore(db, collectionName);
  }

  async ensureIndexes(): Promise<void> {
    await this.outbox.ensureIndexes();
  }

  async findDecision(orderId: string): Promise<ReservationDecision | undefined> {
    return this.read<ReservationDecision>(reservationIds.decision(orderId));
  }

  async decide(decision: ReservationDecision): Promise<boolean> {
    return this.insert({ _id: reservationIds.decision(decision.orderId), kind: 'decision', ...decision });
  }

  async findSettlement(orderId: string): Promise<Settlement | undefined> {
    return this.read<Settlement>(reservationIds.settlement(orderId));
  }

  async settle(settlement: Settlement): Promise<boolean> {
    return this.insert({
      _id: reservationIds.settlement(settlement.orderId),
      kind: 'settlement',
      ...settlement,
    });
  }

  async reply(orderId: string, commandId: string, event: StoredOutboxEvent): Promise<void> {
    // A redelivered command whose reply was written before a crash finds it there: nothing to add.
    await this.insert({ _id: reservationIds.reply(commandId), kind: 'reply', orderId, outbox: [event] });
  }

  private async insert(document: ReservationDocument): Promise<boolean> {
    try {
      await this.documents.insertOne(document);
      return true;
    } catch (error) {
      if (error instanceof MongoServerError && error.code === duplicateKey) return false;
      throw error;
    }
  }

  private async read<T>(id: string): Promise<T | undefined> {
    const document = await this.documents.findOne({ _id: id });
    if (!document) return undefined;
    const { _id, kind: _kind, ...rest } = document;
    return { ...rest, outbox: rest.outbox ?? [] } as T;
  }
}
