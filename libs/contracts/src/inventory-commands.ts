import { z } from 'zod';
import { defineMessage, type PayloadOf } from './message-definition';
import { identifier, stockLine } from './payload-fields';
import { topics } from './topics';

export const ReserveStock = defineMessage({
  name: 'ReserveStock',
  type: 'platform.inventory.reserve-stock.v1',
  topic: topics.inventoryCommands,
  keyField: 'orderId',
  schema: z.object({ orderId: identifier, items: z.array(stockLine).min(1).max(100) }),
});
export type ReserveStock = PayloadOf<typeof ReserveStock>;

/** Turns the order's reservation into a sale; the reservation is found by order id. */
export const CommitStock = defineMessage({
  name: 'CommitStock',
  type: 'platform.inventory.commit-stock.v1',
  topic: topics.inventoryCommands,
  keyField: 'orderId',
  schema: z.object({ orderId: identifier }),
});
export type CommitStock = PayloadOf<typeof CommitStock>;

/** Gives the order's reserved stock back; a no-op when nothing is reserved, so it can be retried. */
export const ReleaseStock = defineMessage({
  name: 'ReleaseStock',
  type: 'platform.inventory.release-stock.v1',
  topic: topics.inventoryCommands,
  keyField: 'orderId',
  schema: z.object({ orderId: identifier }),
});
export type ReleaseStock = PayloadOf<typeof ReleaseStock>;
