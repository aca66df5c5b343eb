import { StockInvariantError } from './errors';
import { type StockLevel, applyStockChange, checked } from './stock-level';

/**
 * Stock reserved for one order. Placing a hold moves its quantity from available to reserved;
 * removing it moves the quantity on (sold on commit, available on release or undo). A count moves
 * exactly when its hold appears or disappears, in the same write, so a step of an order is applied
 * at most once however often it is tried: a second try finds the hold there, or gone.
 */
export interface StockHold {
  orderId: string;
  /**
   * Unique per attempt to reserve: the order's reservation names the hold it owns, so a hold that
   * a late attempt placed after the order was settled is told apart and given back.
   */
  holdId: string;
  quantity: number;
}

/**
 * One sku's stock: its level and the holds behind its reserved count.
 * Invariant (besides the level's): reserved = the sum of the holds, at most one hold per order.
 */
export interface Stock {
  level: StockLevel;
  holds: StockHold[];
}

/** How a hold leaves: its order committed (sold), released, or the reservation never stood (unreserve). */
export type HoldRemoval = 'commit' | 'release' | 'unreserve';

export function holdOf(stock: Stock, orderId: string): StockHold | undefined {
  return stock.holds.find((hold) => hold.orderId === orderId);
}

/** Reserves the hold's quantity; throws InsufficientStockError when less is available. */
export function placeHold(stock: Stock, hold: StockHold): Stock {
  if (holdOf(stock, hold.orderId))
    throw new StockInvariantError(`order ${hold.orderId} holds this stock already`);
  return checkedStock({
    level: applyStockChange(stock.level, 'reserve', hold.quantity),
    holds: [...stock.holds, { ...hold }],
  });
}

export function removeHold(stock: Stock, hold: StockHold, removal: HoldRemoval): Stock {
  const held = stock.holds.find((one) => one.orderId === hold.orderId && one.holdId === hold.holdId);
  if (!held)
    throw new StockInvariantError(`hold ${hold.holdId} of order ${hold.orderId} is not on this stock`);
  return checkedStock({
    level: applyStockChange(stock.level, removal, held.quantity),
    holds: stock.holds.filter((one) => one !== held),
  });
}

export function restock(stock: Stock, quantity: number): Stock {
  return checkedStock({ level: applyStockChange(stock.level, 'restock', quantity), holds: stock.holds });
}

/** Throws unless the stock keeps both invariants; every stock written goes through it. */
export function checkedStock(stock: Stock): Stock {
  checked(stock.level);
  const held = stock.holds.reduce((total, hold) => total + hold.quantity, 0);
  if (held !== stock.level.reserved)
    throw new StockInvariantError(`reserved ${stock.level.reserved} but the holds add up to ${held}`);
  if (new Set(stock.holds.map((hold) => hold.orderId)).size !== stock.holds.length)
    throw new StockInvariantError('an order holds the same stock twice');
  return stock;
}
