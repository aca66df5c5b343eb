import { randomUUID } from 'node:crypto';
import { newOutboxEvent } from '@platform/messaging';
import type { StockRepository, StoredStock } from '../../src/stock/stock.repository.port';
import { aSku } from '../support/builders';
import type { ContractSubject } from './contract-subject';

/** A stock of 10 at `version`, one unit held per version past the first. */
function aStock(sku: string, version: number, overrides: Partial<StoredStock> = {}): StoredStock {
  const holds = Array.from({ length: version - 1 }, (_, index) => ({
    orderId: `order-${index}`,
    holdId: `hold-${index}`,
    quantity: 1,
  }));
  return {
    sku,
    version,
    level: { available: 11 - version, reserved: version - 1, sold: 0, initial: 10, restocked: 0 },
    holds,
    ...overrides,
  };
}

function aProductChanged(sku: string, available: number) {
  return newOutboxEvent(
    'ProductChanged',
    { sku, name: 'Tea', priceCents: 100, currency: 'EUR', available },
    { now: new Date('2026-01-02T03:04:05.000Z') },
  );
}

/** What every StockRepository adapter must do; run against the in-memory adapter and against MongoDB. */
export function describeStockRepositoryContract(
  name: string,
  factory: () => Promise<ContractSubject<StockRepository>>,
): void {
  describe(`StockRepository contract: ${name}`, () => {
    let subject: ContractSubject<StockRepository>;
    let stock: StockRepository;
    beforeAll(async () => {
      subject = await factory();
      stock = subject.store;
      await stock.ensureIndexes();
    });
    afterAll(() => subject.cleanup());

    const claim = () =>
      stock.outbox.claim({
        owner: `contract-${randomUUID()}`,
        limit: 10_000,
        leaseMs: 60_000,
        now: new Date(),
      });

    it('when nothing was saved for a sku, then find returns undefined', async () => {
      expect(await stock.find(aSku())).toBeUndefined();
    });

    it('when saved at version 1 and on, then find returns the last one saved', async () => {
      const sku = aSku();
      for (const version of [1, 2, 3]) expect(await stock.save(aStock(sku, version), [])).toBe(true);
      expect(await stock.find(sku)).toEqual(aStock(sku, 3));
    });

    it('when saved from a version that is not the stored one, then it is refused and the stored stock stays', async () => {
      const sku = aSku();
      await stock.save(aStock(sku, 1), []);
      await stock.save(aStock(sku, 2), []);
      expect(await stock.save(aStock(sku, 2, { holds: [] }), [])).toBe(false);
      expect(await stock.save(aStock(sku, 1), [])).toBe(false);
      expect(await stock.save(aStock(sku, 4), [])).toBe(false);
      expect(await stock.find(sku)).toEqual(aStock(sku, 2));
    });

    it('when 40 writers save from the same version at once, then exactly one succeeds and its stock is stored', async () => {
      const sku = aSku();
      await stock.save(aStock(sku, 1), []);
      const attempts = Array.from({ length: 40 }, (_, index) =>
        aStock(sku, 2, { holds: [{ orderId: `racer-${index}`, holdId: `hold-${index}`, quantity: 1 }] }),
      );
      const saved = await Promise.all(attempts.map((attempt) => stock.save(attempt, [])));
      expect(saved.filter(Boolean)).toHaveLength(1);
      expect(await stock.find(sku)).toEqual(attempts[saved.indexOf(true)]);
    });

    it('when 40 writers create the same sku at once, then exactly one succeeds', async () => {
      const sku = aSku();
      const saved = await Promise.all(
        Array.from({ length: 40 }, (_, index) =>
          stock.save(
            aStock(sku, 1, { level: { ...aStock(sku, 1).level, restocked: index, available: 10 + index } }),
            [],
          ),
        ),
      );
      expect(saved.filter(Boolean)).toHaveLength(1);
      expect((await stock.find(sku))?.level.restocked).toBe(saved.indexOf(true));
    });

    it('when saves carry events, then the outbox offers them one by one in the order written', async () => {
      const sku = aSku();
      const [first, second] = [aProductChanged(sku, 10), aProductChanged(sku, 9)];
      await stock.save(aStock(sku, 1), [first]);
      await stock.save(aStock(sku, 2), [second]);
      const [claimed] = (await claim()).filter((one) => one.aggregateId === sku);
      expect(claimed?.event).toEqual(first);
      if (claimed) await stock.outbox.markPublished(claimed, new Date());
      expect((await claim()).filter((one) => one.aggregateId === sku).map((one) => one.event)).toEqual([
        second,
      ]);
    });

    it('when a save is refused, then its events are not written', async () => {
      const sku = aSku();
      await stock.save(aStock(sku, 1), []);
      const refused = aProductChanged(sku, 3);
      expect(await stock.save(aStock(sku, 3), [refused])).toBe(false);
      expect((await claim()).map((one) => one.event.id)).not.toContain(refused.id);
    });

    it('when a save carries events, then the outbox relay is woken, and not otherwise', async () => {
      const sku = aSku();
      let wakeUps = 0;
      const stop = stock.outbox.written.listen(() => wakeUps++);
      await stock.save(aStock(sku, 1), []);
      await stock.save(aStock(sku, 2), [aProductChanged(sku, 9)]);
      await stock.save(aStock(sku, 2), [aProductChanged(sku, 9)]);
      stop();
      expect(wakeUps).toBe(1);
    });
  });
}
