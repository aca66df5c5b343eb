import { newOutboxEvent } from '@platform/messaging';
import { DuplicateSkuError } from '../../src/domain/errors';
import type { ProductsRepository } from '../../src/products/products.repository.port';
import { aProduct, aSku } from '../support/builders';
import type { ContractSubject } from './contract-subject';

function aProductChanged(sku: string) {
  return newOutboxEvent(
    'ProductChanged',
    { sku, name: 'Green tea, 100 g', priceCents: 650, currency: 'EUR', available: 10 },
    { now: new Date('2026-01-02T03:04:05.000Z') },
  );
}

/** What every ProductsRepository adapter must do; run against the in-memory adapter and against MongoDB. */
export function describeProductsRepositoryContract(
  name: string,
  factory: () => Promise<ContractSubject<ProductsRepository>>,
): void {
  describe(`ProductsRepository contract: ${name}`, () => {
    let subject: ContractSubject<ProductsRepository>;
    let products: ProductsRepository;
    beforeAll(async () => {
      subject = await factory();
      products = subject.store;
      await products.ensureIndexes();
    });
    afterAll(() => subject.cleanup());

    it('when a product is inserted, then it is found by sku without its outbox', async () => {
      const product = aProduct();
      await products.insert(product);
      const { outbox: _outbox, ...expected } = product;
      expect(await products.find(product.sku)).toEqual(expected);
    });

    it('when the sku is unknown, then find returns undefined', async () => {
      expect(await products.find(aSku())).toBeUndefined();
    });

    it('when a sku is inserted twice, even at once, then exactly one insert succeeds', async () => {
      const product = aProduct();
      const results = await Promise.allSettled([
        products.insert(product),
        products.insert({ ...product, name: 'Other' }),
        products.insert({ ...product, name: 'Third' }),
      ]);
      expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(1);
      for (const result of results.filter((one) => one.status === 'rejected'))
        expect((result as PromiseRejectedResult).reason).toBeInstanceOf(DuplicateSkuError);
    });

    it('when paging, then products come in sku order, after the given sku, at most limit of them', async () => {
      const prefix = aSku('PAGE');
      for (const suffix of ['c', 'a', 'd', 'b'])
        await products.insert(aProduct({ sku: `${prefix}-${suffix}` }));
      const all = (await products.page(undefined, 10_000))
        .map((product) => product.sku)
        .filter((sku) => sku.startsWith(prefix));
      expect(all).toEqual(['a', 'b', 'c', 'd'].map((suffix) => `${prefix}-${suffix}`));
      const afterB = await products.page(`${prefix}-b`, 2);
      expect(afterB.map((product) => product.sku)).toEqual([`${prefix}-c`, `${prefix}-d`]);
    });

    it('when inserted with events, then the outbox relay is woken', async () => {
      let wakeUps = 0;
      const stop = products.outbox.written.listen(() => wakeUps++);
      await products.insert(aProduct());
      const product = aProduct();
      await products.insert({ ...product, outbox: [aProductChanged(product.sku)] });
      stop();
      expect(wakeUps).toBe(1);
    });

    it('when inserted with a ProductChanged event, then the outbox store offers it', async () => {
      const product = aProduct();
      const event = aProductChanged(product.sku);
      await products.insert({ ...product, outbox: [event] });
      const claimed = await products.outbox.claim({
        owner: 'contract',
        limit: 1000,
        leaseMs: 60_000,
        now: new Date(),
      });
      expect(claimed.map((one) => one.event.id)).toContain(event.id);
    });
  });
}
