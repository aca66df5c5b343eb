import { causeOf, mergeLines, type StockLine } from '../domain/reservation';
import { StockInvariantError } from '../domain/errors';
import type { StockChanges } from '../stock/stock-changes';
import type { CommandContext } from './stock-command';

/**
 * The per-sku stock steps of one order. Each has a unique cause (`<order>:<step>:<sku>`), so
 * running them again after a crash or a redelivery applies only what is missing.
 */
export class OrderStockSteps {
  constructor(private readonly stock: StockChanges) {}

  /** Gives back what this order reserved of these skus and has not given back yet, as much as was reserved. */
  async undoReservations(orderId: string, skus: Iterable<string>, context: CommandContext): Promise<void> {
    for (const sku of new Set(skus)) {
      const quantity = await this.stock.appliedQuantity(causeOf(orderId, 'reserve', sku));
      if (quantity === undefined) continue;
      await this.expect(
        { sku, kind: 'unreserve', quantity, cause: causeOf(orderId, 'unreserve', sku) },
        context,
      );
    }
  }

  /** Moves the order's reserved stock on (the lines of its 'reserved' decision): sold on commit, available again on release. */
  async settle(
    orderId: string,
    lines: readonly StockLine[],
    step: 'commit' | 'release',
    context: CommandContext,
  ): Promise<void> {
    for (const { sku, quantity } of mergeLines(lines))
      await this.expect({ sku, kind: step, quantity, cause: causeOf(orderId, step, sku) }, context);
  }

  private async expect(change: Parameters<StockChanges['apply']>[0], context: CommandContext): Promise<void> {
    const result = await this.stock.apply(change, context);
    // The order holds this stock, so the step cannot lack any: if it does, stop loudly.
    if (result.kind === 'unknown-sku' || result.kind === 'insufficient')
      throw new StockInvariantError(`${change.cause} found no stock to move (${result.kind})`);
  }
}
