import { FakeInventory } from '../../test/support/fake-inventory';
import { PricesUnavailableError, UnknownSkusError } from '../domain/errors';
import { InventoryPriceList } from './inventory-price-list';

describe('prices read from inventory', () => {
  let inventory: FakeInventory;
  let prices: InventoryPriceList;
  beforeEach(async () => {
    inventory = (await new FakeInventory().start()).product('TEA-GREEN', 650).product('TEA.BLACK_1', 590);
    prices = new InventoryPriceList({ baseUrl: inventory.url, timeoutMs: 1000, breakerResetMs: 10_000 });
  });
  afterEach(async () => {
    await prices.close();
    await inventory.stop();
  });

  const failure = async (skus: string[]) => {
    try {
      await prices.pricesOf(skus);
    } catch (error) {
      return error;
    }
    throw new Error('priced');
  };

  it('when every sku is known, then each gets its price and currency, one read per sku', async () => {
    const priced = await prices.pricesOf(['TEA-GREEN', 'TEA.BLACK_1']);
    expect([...priced.values()]).toEqual([
      { sku: 'TEA-GREEN', priceCents: 650, currency: 'EUR' },
      { sku: 'TEA.BLACK_1', priceCents: 590, currency: 'EUR' },
    ]);
    expect(inventory.calls).toEqual(expect.arrayContaining(['TEA-GREEN', 'TEA.BLACK_1']));
    expect(inventory.calls).toHaveLength(2);
  });

  it('when skus are unknown, then UnknownSkusError names each of them, and a 404 is not retried', async () => {
    const error = await failure(['NOPE-1', 'TEA-GREEN', 'NOPE-2']);
    expect(error).toBeInstanceOf(UnknownSkusError);
    expect((error as UnknownSkusError).skus).toEqual(['NOPE-1', 'NOPE-2']);
    expect(inventory.callsFor('NOPE-1')).toBe(1);
  });

  it('when inventory answers 5xx, then the read is retried and then PricesUnavailableError asks to retry in a second', async () => {
    inventory.fail();
    const error = await failure(['TEA-GREEN']);
    expect(error).toBeInstanceOf(PricesUnavailableError);
    expect((error as PricesUnavailableError).retryAfterSeconds).toBe(1);
    expect(inventory.callsFor('TEA-GREEN')).toBe(3);
  });

  it('when inventory fails, then even an unknown sku is not called unknown: nothing can be decided yet', async () => {
    inventory.fail();
    expect(await failure(['NOPE-1'])).toBeInstanceOf(PricesUnavailableError);
  });

  it('when nothing listens, then PricesUnavailableError', async () => {
    await inventory.stop();
    expect(await failure(['TEA-GREEN'])).toBeInstanceOf(PricesUnavailableError);
  });

  it('when the breaker is open, then PricesUnavailableError at once, asking to retry once it half-opens', async () => {
    inventory.fail();
    for (let attempt = 0; attempt < 5; attempt++) await failure(['TEA-GREEN']);
    const calls = inventory.calls.length;
    const error = await failure(['TEA-GREEN']);
    expect(error).toBeInstanceOf(PricesUnavailableError);
    expect((error as PricesUnavailableError).retryAfterSeconds).toBeGreaterThan(1);
    expect((error as PricesUnavailableError).retryAfterSeconds).toBeLessThanOrEqual(10);
    expect(inventory.calls.length).toBe(calls);
  });
});
