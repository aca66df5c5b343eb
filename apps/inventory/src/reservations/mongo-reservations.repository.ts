import type { Collection, Db } from 'mongodb';
import {
  MongoOutboxStore,
  type OutboxDocument,
  outboxFieldsOf,
  withOutboxAppended,
} from '@platform/messaging';
import { isDuplicateKeyError } from '@platform/persistence';
import type { SettlementStatus } from '../domain/reservation';
import type { Answer, Reservation, ReservationsRepository } from './reservations.repository.port';

/** `_id` is the order id; `answered` lists the command ids whose answer is in the outbox. */
type ReservationDocument = Omit<Reservation, 'orderId'> &
  OutboxDocument & {
    _id: string;
    answered: string[];
  };

export class MongoReservationsRepository implements ReservationsRepository {
  private readonly reservations: Collection<ReservationDocument>;
  readonly outbox: MongoOutboxStore;

  constructor(db: Db, collectionName = 'reservations') {
    this.reservations = db.collection<ReservationDocument>(collectionName);
    this.outbox = new MongoOutboxStore(db, collectionName);
  }

  async ensureIndexes(): Promise<void> {
    // Reservations are read and written by _id only.
    await this.outbox.ensureIndexes();
  }

  async find(orderId: string): Promise<Reservation | undefined> {
    const document = await this.reservations.findOne(
      { _id: orderId },
      { projection: { outbox: 0, outboxPending: 0, answered: 0 } },
    );
    if (!document) return undefined;
    const { _id, ...reservation } = document;
    return { orderId: _id, ...reservation };
  }

  async create(reservation: Reservation, answer: Answer): Promise<boolean> {
    const { orderId, ...rest } = reservation;
    try {
      await this.reservations.insertOne({
        _id: orderId,
        ...rest,
        answered: [answer.commandId],
        ...outboxFieldsOf([answer.event]),
      });
    } catch (error) {
      if (isDuplicateKeyError(error)) return false;
      throw error;
    }
    this.outbox.written.notify({ aggregateId: orderId, events: [answer.event] });
    return true;
  }

  async settle(orderId: string, settlement: SettlementStatus, at: Date, answer: Answer): Promise<boolean> {
    const { matchedCount } = await this.reservations.updateOne(
      { _id: orderId, status: 'reserved', settlement: null },
      withOutboxAppended({ $set: { settlement, settledAt: at }, $push: { answered: answer.commandId } }, [
        answer.event,
      ]),
    );
    if (matchedCount === 1) this.outbox.written.notify({ aggregateId: orderId, events: [answer.event] });
    return matchedCount === 1;
  }

  async reply(orderId: string, answer: Answer): Promise<void> {
    const { matchedCount } = await this.reservations.updateOne(
      { _id: orderId, answered: { $ne: answer.commandId } },
      withOutboxAppended({ $push: { answered: answer.commandId } }, [answer.event]),
    );
    if (matchedCount === 1) this.outbox.written.notify({ aggregateId: orderId, events: [answer.event] });
  }
}
