import { randomUUID } from 'node:crypto';
import type { ReserveStock as ReserveStockCommand } from '@platform/contracts';
import {
  type ReservedLine,
  type StockLine,
  type UnavailableLine,
  mergeLines,
  rejectionReasonOf,
} from '../domain/reservation';
import type { StockChanges } from '../stock/stock-changes';
import type { OrderStockSteps } from './order-stock-steps';
import { decisionAnswerOf } from './reply-events';
import type { Reservation, ReservationsRepository } from './reservations.repository.port';
import type { CommandContext } from './stock-command';

/**
 * ReserveStock, all or nothing: hold each line's stock; on the first shortfall stop, decide
 * 'rejected' (naming every line that cannot be met) and give back what was held. The decision is
 * one insert with its answer; whoever inserts first decides, and every writer gives back the holds
 * the decision does not own. A decided order answers again with the same outcome and changes
 * nothing; an order released before it was reserved (a tombstone) reserves nothing and answers
 * StockReleased.
 *
 * Each attempt holds under an id of its own: a hold placed by an attempt that read the order as
 * undecided while it was being decided and settled is not the one the reservation owns, and goes back.
 */
export class ReserveStock {
  constructor(
    private readonly reservations: ReservationsRepository,
    private readonly stock: StockChanges,
    private readonly steps: OrderStockSteps,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  async execute(command: ReserveStockCommand, context: CommandContext): Promise<Reservation> {
    const { orderId } = command;
    const lines = mergeLines(command.items);
    const decided = await this.reservations.find(orderId);
    if (decided) return this.answerAgain(decided, lines, context);

    const { reserved, unavailable } = await this.holdAll(orderId, lines, context);
    const now = this.clock();
    const reservation: Reservation =
      unavailable.length === 0
        ? { ...undecided(command, now), status: 'reserved', reserved }
        : {
            ...undecided(command, now),
            status: 'rejected',
            rejection: {
              reason: rejectionReasonOf(unavailable.filter((line) => line.unknown).length),
              unavailable: unavailable.map(({ sku, requested, available }) => ({
                sku,
                requested,
                available,
              })),
            },
          };
    if (await this.reservations.create(reservation, decisionAnswerOf(reservation, context, now))) {
      if (reservation.status !== 'reserved')
        await this.steps.giveBackStrayHolds(reservation, skusOf(lines), context);
      return reservation;
    }
    // Another command for this order (or a ReleaseStock) decided first: its decision stands.
    const stored = await this.reservations.find(orderId);
    if (!stored) throw new Error(`order ${orderId}: reservation lost after a duplicate key`);
    return this.answerAgain(stored, lines, context);
  }

  /** Holds line by line until one falls short; then only checks the rest, to name every unavailable line. */
  private async holdAll(orderId: string, lines: readonly StockLine[], context: CommandContext) {
    const holdId = randomUUID();
    const reserved: ReservedLine[] = [];
    const unavailable: (UnavailableLine & { unknown: boolean })[] = [];
    for (const { sku, quantity } of lines) {
      if (unavailable.length > 0) {
        const current = await this.stock.current(sku);
        if (!current) unavailable.push({ sku, requested: quantity, available: 0, unknown: true });
        else if (current.level.available < quantity)
          unavailable.push({ sku, requested: quantity, available: current.level.available, unknown: false });
        continue;
      }
      const result = await this.stock.hold(sku, { orderId, holdId, quantity }, context);
      if (result.kind === 'held')
        reserved.push({ sku, holdId: result.hold.holdId, quantity: result.hold.quantity });
      if (result.kind === 'unknown-sku')
        unavailable.push({ sku, requested: quantity, available: 0, unknown: true });
      if (result.kind === 'insufficient')
        unavailable.push({ sku, requested: quantity, available: result.available, unknown: false });
    }
    return { reserved, unavailable };
  }

  private async answerAgain(
    reservation: Reservation,
    lines: readonly StockLine[],
    context: CommandContext,
  ): Promise<Reservation> {
    // Finishes a rejection whose giving back was cut short, and gives back whatever this writer held.
    await this.steps.giveBackStrayHolds(
      reservation,
      [...skusOf(lines), ...skusOf(reservation.items)],
      context,
    );
    await this.reservations.reply(reservation.orderId, decisionAnswerOf(reservation, context, this.clock()));
    return reservation;
  }
}

/** The fields every decision of this command starts from. */
function undecided(command: ReserveStockCommand, now: Date) {
  return {
    orderId: command.orderId,
    items: command.items,
    reserved: [],
    tombstone: false,
    decidedAt: now,
    settlement: null,
    settledAt: null,
  };
}

function skusOf(lines: readonly StockLine[]): string[] {
  return lines.map((line) => line.sku);
}
