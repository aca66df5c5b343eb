import { StockReleased, type ReleaseStock as ReleaseStockCommand } from '@platform/contracts';
import { newOutboxEvent } from '../outbox/new-outbox-event';
import type { OrderStockSteps } from './order-stock-steps';
import type { ReservationDecision, ReservationsRepository } from './reservations.repository.port';
import type { CommandContext } from './stock-command';

/** What ReleaseStock found and did. */
export type ReleaseOutcome = 'released' | 'tombstoned' | 'nothing-reserved';

/**
 * ReleaseStock: reserved stock becomes available again, and StockReleased is emitted in every
 * case, so the command can be retried freely. Before any ReserveStock it leaves a tombstone
 * decision, so a late ReserveStock reserves nothing; with nothing reserved (rejected, already
 * released, or committed) it changes no stock.
 */
export class ReleaseStock {
  constructor(
    private readonly reservations: ReservationsRepository,
    private readonly steps: OrderStockSteps,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  async execute({ orderId }: ReleaseStockCommand, context: CommandContext): Promise<ReleaseOutcome> {
    const decision =
      (await this.reservations.findDecision(orderId)) ?? (await this.tombstone(orderId, context));
    if (decision === 'tombstoned') return 'tombstoned';
    if (decision.status !== 'reserved') {
      await this.steps.undoReservations(
        orderId,
        decision.items.map((line) => line.sku),
        context,
      );
      return this.answer(orderId, 'nothing-reserved', context);
    }
    const now = this.clock();
    const settledNow = await this.reservations.settle({
      orderId,
      status: 'released',
      settledAt: now,
      outbox: [newOutboxEvent(StockReleased, { orderId }, context, now)],
    });
    const settlement = settledNow ? undefined : await this.reservations.findSettlement(orderId);
    if (settlement?.status === 'committed') return this.answer(orderId, 'nothing-reserved', context);
    await this.steps.settle(orderId, decision.items, 'release', context);
    return settledNow ? 'released' : this.answer(orderId, 'released', context);
  }

  /** Decides 'released' for an order not decided yet; when another writer decided first, its decision. */
  private async tombstone(
    orderId: string,
    context: CommandContext,
  ): Promise<ReservationDecision | 'tombstoned'> {
    const now = this.clock();
    const inserted = await this.reservations.decide({
      orderId,
      status: 'released',
      items: [],
      tombstone: true,
      decidedAt: now,
      outbox: [newOutboxEvent(StockReleased, { orderId }, context, now)],
    });
    if (inserted) return 'tombstoned';
    const decided = await this.reservations.findDecision(orderId);
    if (!decided) throw new Error(`order ${orderId}: decision lost after a duplicate key`);
    return decided;
  }

  private async answer(
    orderId: string,
    outcome: ReleaseOutcome,
    context: CommandContext,
  ): Promise<ReleaseOutcome> {
    await this.reservations.reply(
      orderId,
      context.commandId,
      newOutboxEvent(StockReleased, { orderId }, context, this.clock()),
    );
    return outcome;
  }
}
