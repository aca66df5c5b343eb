import { DuplicateSkuError } from '../../src/domain/errors';
import type { ProductsRepository } from '../../src/products/products.repository.port';
import { aProduct, aSku } from '../support/builders';
import type { ContractSubject } from './contract-subject';

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

    it('when inserted with a ProductChanged event, then the outbox store offers it', async () => {
      const product = aProduct();
      const event = {
        id: `event-${product.sku}`,
        type: 'ProductChanged',
        occurredAt: new Date(),
        data: { sku: product.sku, name: product.name, priceCents: 1, currency: 'EUR', available: 1 },
        traceparent: null,
        state: 'pending' as const,
        attempts: 0,
      };
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
