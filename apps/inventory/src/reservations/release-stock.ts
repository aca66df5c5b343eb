import type { ReleaseStock as ReleaseStockCommand } from '@platform/contracts';
import type { OrderStockSteps } from './order-stock-steps';
import { releasedAnswerOf } from './reply-events';
import type { Answer, Reservation, ReservationsRepository } from './reservations.repository.port';
import type { CommandContext } from './stock-command';

/** What ReleaseStock found and did. */
export type ReleaseOutcome = 'released' | 'tombstoned' | 'nothing-reserved';

/**
 * ReleaseStock: reserved stock becomes available again, and StockReleased is emitted in every
 * case, so the command can be retried freely. Before any ReserveStock it leaves a tombstone
 * reservation, so a late ReserveStock reserves nothing; with nothing reserved (rejected, already
 * released, or committed) it changes no stock.
 */
export class ReleaseStock {
  constructor(
    private readonly reservations: ReservationsRepository,
    private readonly steps: OrderStockSteps,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  async execute({ orderId }: ReleaseStockCommand, context: CommandContext): Promise<ReleaseOutcome> {
    const now = this.clock();
    const answer = releasedAnswerOf(orderId, context, now);
    const reservation =
      (await this.reservations.find(orderId)) ?? (await this.tombstone(orderId, now, answer));
    if (reservation === 'tombstoned') return 'tombstoned';
    if (reservation.status !== 'reserved') {
      await this.steps.giveBackStrayHolds(
        reservation,
        reservation.items.map((line) => line.sku),
        context,
      );
      await this.reservations.reply(orderId, answer);
      return 'nothing-reserved';
    }
    const settledNow =
      reservation.settlement === null && (await this.reservations.settle(orderId, 'released', now, answer));
    const settlement = settledNow
      ? 'released'
      : (reservation.settlement ?? (await this.reservations.find(orderId))?.settlement);
    if (settlement === 'committed') {
      await this.reservations.reply(orderId, answer);
      return 'nothing-reserved';
    }
    await this.steps.settle(reservation, 'release', context);
    if (!settledNow) await this.reservations.reply(orderId, answer);
    return 'released';
  }

  /** Decides 'released' for an order not decided yet; when another writer decided first, its reservation. */
  private async tombstone(orderId: string, now: Date, answer: Answer): Promise<Reservation | 'tombstoned'> {
    const created = await this.reservations.create(
      {
        orderId,
        status: 'released',
        items: [],
        reserved: [],
        tombstone: true,
        decidedAt: now,
        settlement: null,
        settledAt: null,
      },
      answer,
    );
    if (created) return 'tombstoned';
    const decided = await this.reservations.find(orderId);
    if (!decided) throw new Error(`order ${orderId}: reservation lost after a duplicate key`);
    return decided;
  }
}
