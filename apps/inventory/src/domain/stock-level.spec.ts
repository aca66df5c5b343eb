import { InsufficientStockError, StockInvariantError } from './errors';
import { type StockLevel, applyStockChange, checked, initialStockLevel } from './stock-level';

const conserved = (level: StockLevel) =>
  level.available + level.reserved + level.sold === level.initial + level.restocked;

describe('stock level', () => {
  it('when created, then everything is available', () => {
    expect(initialStockLevel(7)).toEqual({ available: 7, reserved: 0, sold: 0, initial: 7, restocked: 0 });
  });

  it('when stock is reserved, then it moves from available to reserved', () => {
    expect(applyStockChange(initialStockLevel(5), 'reserve', 3)).toMatchObject({ available: 2, reserved: 3 });
  });

  it('when a reservation asks for more than is available, then it throws with what is available', () => {
    const error = (() => {
      try {
        applyStockChange(initialStockLevel(2), 'reserve', 3);
      } catch (thrown) {
        return thrown;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(InsufficientStockError);
    expect((error as InsufficientStockError).available).toBe(2);
  });

  it('when the last unit is reserved, then available is 0, never below', () => {
    const level = applyStockChange(initialStockLevel(1), 'reserve', 1);
    expect(level.available).toBe(0);
    expect(() => applyStockChange(level, 'reserve', 1)).toThrow(InsufficientStockError);
  });

  it('when reserved stock is committed, then it is sold', () => {
    const reserved = applyStockChange(initialStockLevel(5), 'reserve', 2);
    expect(applyStockChange(reserved, 'commit', 2)).toEqual({
      available: 3,
      reserved: 0,
      sold: 2,
      initial: 5,
      restocked: 0,
    });
  });

  it.each(['release', 'unreserve'] as const)(
    'when reserved stock is %sd, then it is available again',
    (kind) => {
      const reserved = applyStockChange(initialStockLevel(5), 'reserve', 2);
      expect(applyStockChange(reserved, kind, 2)).toEqual(initialStockLevel(5));
    },
  );

  it('when restocked, then available and restocked grow together', () => {
    expect(applyStockChange(initialStockLevel(1), 'restock', 4)).toMatchObject({
      available: 5,
      restocked: 4,
    });
  });

  it.each(['commit', 'release', 'unreserve'] as const)(
    'when more is %sd than is reserved, then it throws StockInvariantError',
    (kind) => {
      const reserved = applyStockChange(initialStockLevel(5), 'reserve', 1);
      expect(() => applyStockChange(reserved, kind, 2)).toThrow(StockInvariantError);
    },
  );

  it.each([0, -1, 1.5])('when the quantity is %p, then it throws StockInvariantError', (quantity) => {
    expect(() => applyStockChange(initialStockLevel(5), 'restock', quantity)).toThrow(StockInvariantError);
  });

  it('when a level does not conserve stock, then checked throws', () => {
    expect(() => checked({ available: 1, reserved: 0, sold: 0, initial: 2, restocked: 0 })).toThrow(
      StockInvariantError,
    );
  });

  it('when any sequence of changes is applied, then the invariant holds after each', () => {
    let level = initialStockLevel(10);
    const changes = [
      ['reserve', 4],
      ['commit', 2],
      ['release', 1],
      ['restock', 3],
      ['reserve', 9],
      ['unreserve', 5],
      ['commit', 5],
    ] as const;
    for (const [kind, quantity] of changes) {
      level = applyStockChange(level, kind, quantity);
      expect(conserved(level)).toBe(true);
      expect(level.available).toBeGreaterThanOrEqual(0);
    }
    expect(level).toEqual({ available: 6, reserved: 0, sold: 7, initial: 10, restocked: 3 });
  });
});
