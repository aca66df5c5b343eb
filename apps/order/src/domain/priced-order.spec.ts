import { MixedCurrenciesError, OrderTotalTooLargeError } from './errors';
import { maxOrderTotalCents, priceOrder } from './priced-order';

const euro = (priceCents: number) => ({ priceCents, currency: 'EUR' });

describe('pricing an order', () => {
  it('when every sku has a price, then each line gets its unit price and the total adds them up', () => {
    const prices = new Map([
      ['TEA-GREEN', euro(650)],
      ['MUG-WHITE', euro(1200)],
    ]);
    expect(
      priceOrder(
        [
          { sku: 'MUG-WHITE', quantity: 2 },
          { sku: 'TEA-GREEN', quantity: 3 },
        ],
        prices,
      ),
    ).toEqual({
      items: [
        { sku: 'MUG-WHITE', quantity: 2, unitPriceCents: 1200 },
        { sku: 'TEA-GREEN', quantity: 3, unitPriceCents: 650 },
      ],
      totalCents: 4350,
      currency: 'EUR',
    });
  });

  it('when a product is free, then its line costs nothing and the order is still priced', () => {
    expect(priceOrder([{ sku: 'GIFT', quantity: 5 }], new Map([['GIFT', euro(0)]])).totalCents).toBe(0);
  });

  it('when the products are priced in several currencies, then the order is refused naming them', () => {
    const prices = new Map([
      ['A', euro(100)],
      ['B', { priceCents: 100, currency: 'USD' }],
    ]);
    const price = () =>
      priceOrder(
        [
          { sku: 'A', quantity: 1 },
          { sku: 'B', quantity: 1 },
        ],
        prices,
      );
    expect(price).toThrow(MixedCurrenciesError);
    expect(price).toThrow('EUR, USD');
  });

  it.each([
    ['one unit above the bound', [{ sku: 'A', quantity: 1 }], maxOrderTotalCents + 1],
    [
      'two units at 2^53 - 1, whose sum a float would round',
      [{ sku: 'A', quantity: 2 }],
      Number.MAX_SAFE_INTEGER,
    ],
    [
      'two lines at 2^52 each',
      [
        { sku: 'A', quantity: 1 },
        { sku: 'B', quantity: 1 },
      ],
      2 ** 52,
    ],
  ])('when the total is %s, then the order is refused as too large', (_case, lines, unitPrice) => {
    const prices = new Map([
      ['A', euro(unitPrice)],
      ['B', euro(unitPrice)],
    ]);
    expect(() => priceOrder(lines, prices)).toThrow(OrderTotalTooLargeError);
  });

  it('when the total is exactly the bound, then it is accepted to the cent', () => {
    const priced = priceOrder(
      [{ sku: 'A', quantity: 100 }],
      new Map([['A', euro(maxOrderTotalCents / 100)]]),
    );
    expect(priced.totalCents).toBe(maxOrderTotalCents);
  });
});
