import { StockCommitted, type CommitStock as CommitStockCommand } from '@platform/contracts';
import { ReservationNotCommittableError, ReservationNotDecidedError } from '../domain/errors';
import { newOutboxEvent } from '../outbox/new-outbox-event';
import type { OrderStockSteps } from './order-stock-steps';
import type { ReservationsRepository, Settlement } from './reservations.repository.port';
import type { CommandContext } from './stock-command';

/**
 * CommitStock: the reserved stock becomes sold. The settlement (with StockCommitted) is inserted
 * first, so a racing ReleaseStock cannot also settle the order; then the ledger steps follow, and
 * a crash between the two is finished by the redelivery. Before the reservation is decided it
 * throws a transient error (the retry topics bring the command back); after a rejection or a
 * release it can never succeed and throws a permanent one (it ends in the DLQ, visibly).
 */
export class CommitStock {
  constructor(
    private readonly reservations: ReservationsRepository,
    private readonly steps: OrderStockSteps,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  async execute({ orderId }: CommitStockCommand, context: CommandContext): Promise<Settlement> {
    const decision = await this.reservations.findDecision(orderId);
    if (!decision) throw new ReservationNotDecidedError(orderId);
    if (decision.status !== 'reserved') throw new ReservationNotCommittableError(orderId, decision.status);
    const now = this.clock();
    const settlement: Settlement = {
      orderId,
      status: 'committed',
      settledAt: now,
      outbox: [newOutboxEvent(StockCommitted, { orderId }, context, now)],
    };
    const settledNow = await this.reservations.settle(settlement);
    const settled = settledNow ? settlement : await this.reservations.findSettlement(orderId);
    if (!settled) throw new Error(`order ${orderId}: settlement lost after a duplicate key`);
    if (settled.status !== 'committed') throw new ReservationNotCommittableError(orderId, settled.status);
    await this.steps.settle(orderId, decision.items, 'commit', context);
    if (!settledNow)
      await this.reservations.reply(
        orderId,
        context.commandId,
        newOutboxEvent(StockCommitted, { orderId }, context, now),
      );
    return settled;
  }
}
