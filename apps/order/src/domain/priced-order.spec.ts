import { MixedCurrenciesError } from './errors';
import { priceOrder } from './priced-order';

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
});
