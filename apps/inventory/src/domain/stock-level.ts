import { InsufficientStockError, StockInvariantError } from './errors';

/**
 * One sku's stock counts. Reserved stock is a semantic lock: it is neither
 * available to other orders nor sold until its order commits or releases it.
 * Invariant: available + reserved + sold = initial + restocked, every count ≥ 0.
 */
export interface StockLevel {
  available: number;
  reserved: number;
  sold: number;
  initial: number;
  restocked: number;
}

/** What moves stock, each with its quantity. */
export type StockChangeKind = 'reserve' | 'unreserve' | 'commit' | 'release' | 'restock';

export function initialStockLevel(quantity: number): StockLevel {
  return checked({ available: quantity, reserved: 0, sold: 0, initial: quantity, restocked: 0 });
}

/** The level after `kind` of `quantity`; throws InsufficientStockError when a reservation cannot be met. */
export function applyStockChange(level: StockLevel, kind: StockChangeKind, quantity: number): StockLevel {
  if (!Number.isInteger(quantity) || quantity <= 0)
    throw new StockInvariantError(`a stock change needs a positive integer quantity, not ${quantity}`);
  switch (kind) {
    case 'reserve':
      if (level.available < quantity) throw new InsufficientStockError(level.available);
      return checked({
        ...level,
        available: level.available - quantity,
        reserved: level.reserved + quantity,
      });
    case 'unreserve':
    case 'release':
      return checked({
        ...level,
        available: level.available + quantity,
        reserved: level.reserved - quantity,
      });
    case 'commit':
      return checked({ ...level, reserved: level.reserved - quantity, sold: level.sold + quantity });
    case 'restock':
      return checked({
        ...level,
        available: level.available + quantity,
        restocked: level.restocked + quantity,
      });
  }
}

/** Throws unless the level keeps the invariant; every level written goes through it. */
export function checked(level: StockLevel): StockLevel {
  const counts = [level.available, level.reserved, level.sold, level.initial, level.restocked];
  if (counts.some((count) => !Number.isInteger(count) || count < 0))
    throw new StockInvariantError(`a stock count is negative or fractional: ${JSON.stringify(level)}`);
  if (level.available + level.reserved + level.sold !== level.initial + level.restocked)
    throw new StockInvariantError(`stock is not conserved: ${JSON.stringify(level)}`);
  return level;
}
