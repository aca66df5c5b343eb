import type { OutboxStore, StoredOutboxEvent } from '@platform/messaging';
import type {
  RejectionReason,
  ReservationDecisionStatus,
  ReservedLine,
  SettlementStatus,
  StockLine,
  UnavailableLine,
} from '../domain/reservation';

/**
 * An order's stock reservation: what ReserveStock (or a ReleaseStock that came first) decided,
 * once and for all, and how a reserved order's stock ended.
 */
export interface Reservation {
  orderId: string;
  status: ReservationDecisionStatus;
  /** The command's lines; none for a tombstone. */
  items: StockLine[];
  /** The holds a 'reserved' order owns, one per sku; none otherwise. */
  reserved: ReservedLine[];
  rejection?: { reason: RejectionReason; unavailable: UnavailableLine[] };
  /** ReleaseStock arrived before any ReserveStock: nothing was reserved and nothing ever will be. */
  tombstone: boolean;
  decidedAt: Date;
  /** Set once, only on a 'reserved' order: by CommitStock or ReleaseStock, whichever came first. */
  settlement: SettlementStatus | null;
  settledAt: Date | null;
}

/** The event that answers one delivered command. */
export interface Answer {
  commandId: string;
  event: StoredOutboxEvent;
}

export const RESERVATIONS_REPOSITORY = Symbol('ReservationsRepository');

/**
 * One document per order (`_id` the order id) holding its reservation and, in its outbox, the
 * answers to its commands: at most one per command id. Every write that adds an answer wakes the
 * outbox relay.
 */
export interface ReservationsRepository {
  ensureIndexes(): Promise<void>;
  find(orderId: string): Promise<Reservation | undefined>;
  /** Stores the decided reservation with its answer; false when the order has one already (it stands). */
  create(reservation: Reservation, answer: Answer): Promise<boolean>;
  /**
   * Settles a reserved, unsettled order with its answer; false otherwise. Of concurrent
   * settlements of one order, exactly one succeeds.
   */
  settle(orderId: string, settlement: SettlementStatus, at: Date, answer: Answer): Promise<boolean>;
  /** Adds the answer to a command that finds the order decided or settled, unless that command was answered. */
  reply(orderId: string, answer: Answer): Promise<void>;
  readonly outbox: OutboxStore;
}
