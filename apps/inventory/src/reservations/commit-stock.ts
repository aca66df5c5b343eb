import type { CommitStock as CommitStockCommand } from '@platform/contracts';
import { ReservationNotCommittableError, ReservationNotDecidedError } from '../domain/errors';
import type { OrderStockSteps } from './order-stock-steps';
import { committedAnswerOf } from './reply-events';
import type { ReservationsRepository } from './reservations.repository.port';
import type { CommandContext } from './stock-command';

/**
 * CommitStock: the reserved stock becomes sold. The reservation is settled first (with
 * StockCommitted), so a racing ReleaseStock cannot also settle the order; then the holds are
 * moved, and a crash between the two is finished by the redelivery. Before the reservation is
 * decided it throws a transient error (the retry topics bring the command back); after a
 * rejection or a release it can never succeed and throws a permanent one (it ends in the DLQ,
 * visibly).
 */
export class CommitStock {
  constructor(
    private readonly reservations: ReservationsRepository,
    private readonly steps: OrderStockSteps,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  async execute({ orderId }: CommitStockCommand, context: CommandContext): Promise<void> {
    const reservation = await this.reservations.find(orderId);
    if (!reservation) throw new ReservationNotDecidedError(orderId);
    if (reservation.status !== 'reserved')
      throw new ReservationNotCommittableError(orderId, reservation.status);
    const now = this.clock();
    const answer = committedAnswerOf(orderId, context, now);
    const settledNow =
      reservation.settlement === null && (await this.reservations.settle(orderId, 'committed', now, answer));
    // Settled before, or by a racing command: a commit is finished here, a release makes this one impossible.
    const settlement = settledNow
      ? 'committed'
      : (reservation.settlement ?? (await this.reservations.find(orderId))?.settlement);
    if (settlement !== 'committed')
      throw new ReservationNotCommittableError(orderId, settlement ?? reservation.status);
    await this.steps.settle(reservation, 'commit', context);
    if (!settledNow) await this.reservations.reply(orderId, answer);
  }
}
