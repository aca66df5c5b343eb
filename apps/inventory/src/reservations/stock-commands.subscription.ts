import {
  CommitStock as CommitStockMessage,
  ReleaseStock as ReleaseStockMessage,
  ReserveStock as ReserveStockMessage,
} from '@platform/contracts';
import { type IncomingMessage, type Inbox, type Subscription, handlerOf } from '@platform/messaging';
import type { CommitStock } from './commit-stock';
import type { ReleaseStock } from './release-stock';
import type { ReserveStock } from './reserve-stock';
import type { CommandContext } from './stock-command';

export interface StockCommandHandlers {
  reserveStock: ReserveStock;
  commitStock: CommitStock;
  releaseStock: ReleaseStock;
}

/**
 * The inventory's consumer of `inventory.commands.v1`. The inbox skips a command (by `ce_id`) that
 * was handled before, so a redelivery emits nothing a second time; the use cases are idempotent
 * per order as well, for commands re-sent under a new id.
 */
export function stockCommandsSubscription(
  groupId: string,
  inbox: Inbox,
  handlers: StockCommandHandlers,
  startAt: Subscription['startAt'] = 'earliest',
): Subscription {
  const once =
    <T>(handle: (data: T, context: CommandContext) => Promise<unknown>) =>
    async (message: IncomingMessage<T>) => {
      await inbox.runOnce(groupId, message.id, () => handle(message.data, contextOf(message)));
    };
  return {
    groupId,
    startAt,
    handlers: [
      handlerOf(
        ReserveStockMessage,
        once((data, context) => handlers.reserveStock.execute(data, context)),
      ),
      handlerOf(
        CommitStockMessage,
        once((data, context) => handlers.commitStock.execute(data, context)),
      ),
      handlerOf(
        ReleaseStockMessage,
        once((data, context) => handlers.releaseStock.execute(data, context)),
      ),
    ],
  };
}

function contextOf(message: IncomingMessage<unknown>): CommandContext {
  return {
    commandId: message.id,
    traceparent: message.traceparent ?? null,
    tracestate: message.tracestate ?? null,
    correlationId: message.correlationId ?? null,
  };
}
