import { InMemoryOutboxStore, type OutboxDocument, type StoredOutboxEvent } from '@platform/messaging';
import {
  type ReservationDecision,
  type ReservationsRepository,
  type Settlement,
  reservationIds,
} from './reservations.repository.port';

export class InMemoryReservationsRepository implements ReservationsRepository {
  private readonly documents = new Map<string, OutboxDocument>();
  readonly outbox = new InMemoryOutboxStore(this.documents);

  async ensureIndexes(): Promise<void> {
    // A map keyed by id is its own unique index.
  }

  async findDecision(orderId: string): Promise<ReservationDecision | undefined> {
    return this.read(reservationIds.decision(orderId)) as ReservationDecision | undefined;
  }

  async decide(decision: ReservationDecision): Promise<boolean> {
    return this.insert(reservationIds.decision(decision.orderId), { ...decision });
  }

  async findSettlement(orderId: string): Promise<Settlement | undefined> {
    return this.read(reservationIds.settlement(orderId)) as Settlement | undefined;
  }

  async settle(settlement: Settlement): Promise<boolean> {
    return this.insert(reservationIds.settlement(settlement.orderId), { ...settlement });
  }

  async reply(orderId: string, commandId: string, event: StoredOutboxEvent): Promise<void> {
    // A command's reply is written once; a redelivered command finds it there.
    this.insert(reservationIds.reply(commandId), { orderId, outbox: [event] });
  }

  private insert(id: string, document: OutboxDocument & Record<string, unknown>): boolean {
    if (this.documents.has(id)) return false;
    this.documents.set(id, structuredClone(document));
    return true;
  }

  private read(id: string): OutboxDocument | undefined {
    const document = this.documents.get(id);
    return document && structuredClone(document);
  }
}
