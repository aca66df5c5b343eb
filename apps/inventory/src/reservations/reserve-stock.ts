import type { ReserveStock as ReserveStockCommand } from '@platform/contracts';
import {
  type StockLine,
  type UnavailableLine,
  causeOf,
  mergeLines,
  rejectionReasonOf,
} from '../domain/reservation';
import type { StockChanges } from '../stock/stock-changes';
import type { OrderStockSteps } from './order-stock-steps';
import { decisionEventOf } from './reply-events';
import type { ReservationDecision, ReservationsRepository } from './reservations.repository.port';
import type { CommandContext } from './stock-command';

/**
 * ReserveStock, all or nothing: reserve each line; on the first shortfall stop, decide 'rejected'
 * (naming every line that cannot be met) and give back what was reserved. The decision is one
 * insert with its event; whoever inserts first decides, and every writer that reserved something
 * gives it back unless the decision is 'reserved'. A decided order answers again with the same
 * outcome and changes nothing; an order released before it was reserved (a tombstone) reserves
 * nothing and answers StockReleased.
 */
export class ReserveStock {
  constructor(
    private readonly reservations: ReservationsRepository,
    private readonly stock: StockChanges,
    private readonly steps: OrderStockSteps,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  async execute(command: ReserveStockCommand, context: CommandContext): Promise<ReservationDecision> {
    const { orderId } = command;
    const lines = mergeLines(command.items);
    const decided = await this.reservations.findDecision(orderId);
    if (decided) return this.answerAgain(decided, lines, context);

    const unavailable = await this.reserveAll(orderId, lines, context);
    const now = this.clock();
    const decision: ReservationDecision =
      unavailable.length === 0
        ? { orderId, status: 'reserved', items: command.items, tombstone: false, decidedAt: now, outbox: [] }
        : {
            orderId,
            status: 'rejected',
            items: command.items,
            rejection: {
              reason: rejectionReasonOf(unavailable.filter((line) => line.unknown).length),
              unavailable: unavailable.map(({ sku, requested, available }) => ({
                sku,
                requested,
                available,
              })),
            },
            tombstone: false,
            decidedAt: now,
            outbox: [],
          };
    decision.outbox.push(decisionEventOf(decision, context, now));
    if (await this.reservations.decide(decision)) {
      if (decision.status !== 'reserved') await this.steps.undoReservations(orderId, skusOf(lines), context);
      return decision;
    }
    // Another command for this order (or a ReleaseStock) decided first: its decision stands.
    const stored = await this.reservations.findDecision(orderId);
    if (!stored) throw new Error(`order ${orderId}: decision lost after a duplicate key`);
    return this.answerAgain(stored, lines, context);
  }

  /** Reserves line by line until one falls short; then only checks the rest, to name every unavailable line. */
  private async reserveAll(
    orderId: string,
    lines: readonly StockLine[],
    context: CommandContext,
  ): Promise<(UnavailableLine & { unknown: boolean })[]> {
    const unavailable: (UnavailableLine & { unknown: boolean })[] = [];
    for (const { sku, quantity } of lines) {
      if (unavailable.length > 0) {
        const current = await this.stock.current(sku);
        if (!current) unavailable.push({ sku, requested: quantity, available: 0, unknown: true });
        else if (current.level.available < quantity)
          unavailable.push({ sku, requested: quantity, available: current.level.available, unknown: false });
        continue;
      }
      const result = await this.stock.apply(
        { sku, kind: 'reserve', quantity, cause: causeOf(orderId, 'reserve', sku) },
        context,
      );
      if (result.kind === 'unknown-sku')
        unavailable.push({ sku, requested: quantity, available: 0, unknown: true });
      if (result.kind === 'insufficient')
        unavailable.push({ sku, requested: quantity, available: result.available, unknown: false });
    }
    return unavailable;
  }

  private async answerAgain(
    decision: ReservationDecision,
    lines: readonly StockLine[],
    context: CommandContext,
  ): Promise<ReservationDecision> {
    // Finishes a rejection whose giving back was cut short, and undoes whatever this writer reserved.
    if (decision.status !== 'reserved')
      await this.steps.undoReservations(
        decision.orderId,
        [...skusOf(lines), ...skusOf(decision.items)],
        context,
      );
    await this.reservations.reply(
      decision.orderId,
      context.commandId,
      decisionEventOf(decision, context, this.clock()),
    );
    return decision;
  }
}

function skusOf(lines: readonly StockLine[]): string[] {
  return lines.map((line) => line.sku);
}
