import { InMemoryOutboxStore, type OutboxDocument, outboxFieldsOf } from '@platform/messaging';
import type { SettlementStatus } from '../domain/reservation';
import type { Answer, Reservation, ReservationsRepository } from './reservations.repository.port';

type ReservationDocument = Reservation & OutboxDocument & { answered: string[] };

/** The embedded profile's reservations: each method checks and writes without an await between, so it is atomic. */
export class InMemoryReservationsRepository implements ReservationsRepository {
  private readonly documents = new Map<string, ReservationDocument>();
  readonly outbox = new InMemoryOutboxStore(this.documents);

  async ensureIndexes(): Promise<void> {
    // A map keyed by order id is its own unique index.
  }

  async find(orderId: string): Promise<Reservation | undefined> {
    const document = this.documents.get(orderId);
    if (!document) return undefined;
    const {
      outbox: _outbox,
      outboxPending: _pending,
      answered: _answered,
      ...reservation
    } = structuredClone(document);
    return reservation;
  }

  async create(reservation: Reservation, answer: Answer): Promise<boolean> {
    if (this.documents.has(reservation.orderId)) return false;
    this.write({ ...reservation, answered: [] }, answer);
    return true;
  }

  async settle(orderId: string, settlement: SettlementStatus, at: Date, answer: Answer): Promise<boolean> {
    const document = this.documents.get(orderId);
    if (document?.status !== 'reserved' || document.settlement !== null) return false;
    this.write({ ...document, settlement, settledAt: at }, answer);
    return true;
  }

  async reply(orderId: string, answer: Answer): Promise<void> {
    const document = this.documents.get(orderId);
    if (document && !document.answered.includes(answer.commandId)) this.write(document, answer);
  }

  /** Stores the document with the answer added; the outbox store replaces documents too, so it is read afresh each time. */
  private write(document: ReservationDocument, { commandId, event }: Answer): void {
    this.documents.set(
      document.orderId,
      structuredClone({
        ...document,
        answered: [...document.answered, commandId],
        ...outboxFieldsOf([...(document.outbox ?? []), event]),
      }),
    );
    this.outbox.written.notify({ aggregateId: document.orderId, events: [event] });
  }
}
