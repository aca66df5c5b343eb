import { InsufficientStockError, StockInvariantError } from './errors';
import { type Stock, checkedStock, holdOf, placeHold, removeHold, restock } from './stock-holds';
import { initialStockLevel } from './stock-level';

const fresh = (quantity: number): Stock => ({ level: initialStockLevel(quantity), holds: [] });
const hold = (orderId: string, quantity: number, holdId = `${orderId}-hold`) => ({
  orderId,
  holdId,
  quantity,
});

describe('stock holds', () => {
  it('when a hold is placed, then its quantity moves from available to reserved and the hold is kept', () => {
    const stock = placeHold(fresh(5), hold('o1', 2));
    expect(stock.level).toMatchObject({ available: 3, reserved: 2 });
    expect(holdOf(stock, 'o1')).toEqual(hold('o1', 2));
  });

  it('when more is held than is available, then it throws InsufficientStockError with what is available', () => {
    expect(() => placeHold(placeHold(fresh(3), hold('o1', 2)), hold('o2', 2))).toThrow(
      new InsufficientStockError(1),
    );
  });

  it('when an order holds the stock already, then a second hold of it throws StockInvariantError', () => {
    expect(() => placeHold(placeHold(fresh(5), hold('o1', 1)), hold('o1', 1, 'another'))).toThrow(
      StockInvariantError,
    );
  });

  it.each([
    ['commit', { available: 3, reserved: 0, sold: 2 }],
    ['release', { available: 5, reserved: 0, sold: 0 }],
    ['unreserve', { available: 5, reserved: 0, sold: 0 }],
  ] as const)(
    'when a hold is removed by %s, then its quantity moves on and the hold is gone',
    (removal, level) => {
      const stock = removeHold(placeHold(fresh(5), hold('o1', 2)), hold('o1', 2), removal);
      expect(stock).toEqual({ level: expect.objectContaining(level), holds: [] });
    },
  );

  it("when the hold to remove is another attempt's hold of the order, then it throws StockInvariantError", () => {
    expect(() => removeHold(placeHold(fresh(5), hold('o1', 2)), hold('o1', 2, 'stale'), 'commit')).toThrow(
      StockInvariantError,
    );
  });

  it('when restocked, then more is available and the holds stay', () => {
    const stock = restock(placeHold(fresh(1), hold('o1', 1)), 4);
    expect(stock).toEqual({
      level: { available: 4, reserved: 1, sold: 0, initial: 1, restocked: 4 },
      holds: [hold('o1', 1)],
    });
  });

  it.each([
    [
      'holds that add up to less than reserved',
      { level: { ...initialStockLevel(0), available: 0, reserved: 1, initial: 1 }, holds: [] },
    ],
    [
      'two holds of one order',
      {
        level: { available: 0, reserved: 2, sold: 0, initial: 2, restocked: 0 },
        holds: [hold('o1', 1), hold('o1', 1, 'second')],
      },
    ],
  ])('when a stock has %s, then checkedStock throws', (_case, stock) => {
    expect(() => checkedStock(stock)).toThrow(StockInvariantError);
  });
});
