import type { OutboxStore, StoredOutboxEvent } from '@platform/messaging';
import type {
  RejectionReason,
  ReservationDecisionStatus,
  SettlementStatus,
  StockLine,
  UnavailableLine,
} from '../domain/reservation';

/** What ReserveStock (or a ReleaseStock that came first) decided for an order, with the event that says so. */
export interface ReservationDecision {
  orderId: string;
  status: ReservationDecisionStatus;
  /** The command's lines; none for a tombstone. */
  items: StockLine[];
  rejection?: { reason: RejectionReason; unavailable: UnavailableLine[] };
  /** ReleaseStock arrived before any ReserveStock: nothing was reserved and nothing ever will be. */
  tombstone: boolean;
  decidedAt: Date;
  outbox: StoredOutboxEvent[];
}

/** How a reserved order's stock ended, with the event that says so. */
export interface Settlement {
  orderId: string;
  status: SettlementStatus;
  settledAt: Date;
  outbox: StoredOutboxEvent[];
}

export const RESERVATIONS_REPOSITORY = Symbol('ReservationsRepository');

/**
 * An order's reservation as insert-only documents: the decision, then the settlement. Each is
 * written once by whichever writer inserts it first, state and event together; a later writer
 * reads what was decided. A unique key is the one guard MongoDB and FerretDB both enforce under
 * concurrency.
 */
export interface ReservationsRepository {
  ensureIndexes(): Promise<void>;
  findDecision(orderId: string): Promise<ReservationDecision | undefined>;
  /** false when the order was decided already (the stored decision stands). */
  decide(decision: ReservationDecision): Promise<boolean>;
  findSettlement(orderId: string): Promise<Settlement | undefined>;
  /** false when the order was settled already. */
  settle(settlement: Settlement): Promise<boolean>;
  /** The answer to a repeated command, once per command id: the same outcome, emitted again. */
  reply(orderId: string, commandId: string, event: StoredOutboxEvent): Promise<void>;
  readonly outbox: OutboxStore;
}

/** Document ids: one prefix per kind, so no order id can collide with another kind's id. */
export const reservationIds = {
  decision: (orderId: string) => `order:${orderId}`,
  settlement: (orderId: string) => `settlement:${orderId}`,
  reply: (commandId: string) => `reply:${commandId}`,
};
