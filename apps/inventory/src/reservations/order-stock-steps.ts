import { StockInvariantError } from '../domain/errors';
import type { StockChanges } from '../stock/stock-changes';
import type { Reservation } from './reservations.repository.port';
import type { CommandContext } from './stock-command';

/**
 * The stock steps of one order, each guarded by the holds on the skus' stock, so running them
 * again after a crash or a redelivery applies only what is missing.
 *
 * The invariant kept: an order holds each sku's stock at most once; a 'reserved' reservation owns
 * exactly the holds it names (each present from its decision until its settlement removes it);
 * every other hold of a decided order is stray and is given back by whoever meets it. Stock moves
 * only when a hold is placed or removed, in the same conditional write.
 */
export class OrderStockSteps {
  constructor(private readonly stock: StockChanges) {}

  /** Moves the holds a reserved order owns on: sold on commit, available again on release; moved ones are skipped. */
  async settle(
    reservation: Reservation,
    removal: 'commit' | 'release',
    context: CommandContext,
  ): Promise<void> {
    for (const { sku, holdId, quantity } of reservation.reserved) {
      const hold = { orderId: reservation.orderId, holdId, quantity };
      const result = await this.stock.removeHold(sku, hold, removal, context);
      // The order owns this hold, so its product cannot have gone: if it has, stop loudly.
      if (result.kind === 'unknown-sku')
        throw new StockInvariantError(`order ${reservation.orderId} holds stock of an unknown sku ${sku}`);
    }
  }

  /** Gives back the order's holds on these skus that its reservation does not own. */
  async giveBackStrayHolds(
    reservation: Reservation,
    skus: Iterable<string>,
    context: CommandContext,
  ): Promise<void> {
    for (const sku of new Set(skus)) {
      const owned = reservation.reserved.find((line) => line.sku === sku)?.holdId;
      await this.stock.giveBack(sku, reservation.orderId, owned, context);
    }
  }
}
