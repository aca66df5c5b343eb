import type { StockEntry, StockLedger } from '../../src/stock/stock-ledger.port';
import { aSku } from '../support/builders';
import type { ContractSubject } from './contract-subject';

function anEntry(sku: string, version: number, overrides: Partial<StockEntry> = {}): StockEntry {
  return {
    sku,
    version,
    available: 10 - version,
    reserved: version,
    sold: 0,
    initial: 10,
    restocked: 0,
    kind: 'reserve',
    quantity: 1,
    cause: `order-${sku}-${version}:reserve:${sku}`,
    at: new Date('2026-01-02T03:04:05.000Z'),
    outbox: [],
    ...overrides,
  };
}

/** What every StockLedger adapter must do; run against the in-memory adapter and against MongoDB. */
export function describeStockLedgerContract(
  name: string,
  factory: () => Promise<ContractSubject<StockLedger>>,
): void {
  describe(`StockLedger contract: ${name}`, () => {
    let subject: ContractSubject<StockLedger>;
    let ledger: StockLedger;
    beforeAll(async () => {
      subject = await factory();
      ledger = subject.store;
      await ledger.ensureIndexes();
    });
    afterAll(() => subject.cleanup());

    it('when nothing was appended for a sku, then it has no head and no history', async () => {
      const sku = aSku();
      expect(await ledger.head(sku)).toBeUndefined();
      expect(await ledger.history(sku)).toEqual([]);
    });

    it('when entries are appended, then the head is the highest version and history is in order', async () => {
      const sku = aSku();
      for (const version of [1, 2, 3]) expect(await ledger.append(anEntry(sku, version))).toBe('appended');
      expect(await ledger.head(sku)).toEqual(anEntry(sku, 3));
      expect((await ledger.history(sku)).map((entry) => entry.version)).toEqual([1, 2, 3]);
    });

    it('when versions pass 9 and 99, then the head is still the highest (not string order)', async () => {
      const sku = aSku();
      for (let version = 1; version <= 12; version++) await ledger.append(anEntry(sku, version));
      expect((await ledger.head(sku))?.version).toBe(12);
    });

    it('when a version is taken, then appending it again answers version-taken and keeps the first', async () => {
      const sku = aSku();
      await ledger.append(anEntry(sku, 1));
      expect(await ledger.append(anEntry(sku, 1, { cause: 'another-cause', available: 0 }))).toBe(
        'version-taken',
      );
      expect(await ledger.head(sku)).toEqual(anEntry(sku, 1));
    });

    it('when a cause is taken, then appending it at another version answers cause-taken', async () => {
      const sku = aSku();
      await ledger.append(anEntry(sku, 1, { cause: `c-${sku}` }));
      expect(await ledger.append(anEntry(sku, 2, { cause: `c-${sku}` }))).toBe('cause-taken');
      expect((await ledger.head(sku))?.version).toBe(1);
      expect((await ledger.findByCause(`c-${sku}`))?.version).toBe(1);
    });

    it('when many writers append the same version at once, then exactly one wins', async () => {
      const sku = aSku();
      const outcomes = await Promise.all(
        Array.from({ length: 20 }, (_, index) =>
          ledger.append(anEntry(sku, 1, { cause: `race-${sku}-${index}` })),
        ),
      );
      expect(outcomes.filter((outcome) => outcome === 'appended')).toHaveLength(1);
      expect(outcomes.filter((outcome) => outcome === 'version-taken')).toHaveLength(19);
    });

    it('when many writers append the same cause at once, then exactly one wins', async () => {
      const sku = aSku();
      const outcomes = await Promise.all(
        Array.from({ length: 10 }, (_, index) =>
          ledger.append(anEntry(sku, index + 1, { cause: `same-${sku}` })),
        ),
      );
      expect(outcomes.filter((outcome) => outcome === 'appended')).toHaveLength(1);
      expect(await ledger.history(sku)).toHaveLength(1);
    });

    it('when an entry carries an outbox event, then the outbox store offers it', async () => {
      const sku = aSku();
      const event = {
        id: `event-${sku}`,
        type: 'ProductChanged',
        occurredAt: new Date('2026-01-02T03:04:05.000Z'),
        data: { sku, name: 'Tea', priceCents: 100, currency: 'EUR', available: 9 },
        traceparent: null,
        state: 'pending' as const,
        attempts: 0,
      };
      await ledger.append(anEntry(sku, 1, { outbox: [event] }));
      const claimed = await ledger.outbox.claim({
        owner: 'contract',
        limit: 1000,
        leaseMs: 60_000,
        now: new Date(),
      });
      expect(claimed.map((one) => one.event.id)).toContain(event.id);
    });
  });
}
