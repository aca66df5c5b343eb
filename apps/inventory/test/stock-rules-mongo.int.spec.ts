import { randomUUID } from 'node:crypto';
import type { Db, MongoClient } from 'mongodb';
import { createMongoClient } from '@platform/persistence';
import { requireInfrastructure } from '@platform/testing';
import { MongoProductsRepository } from '../src/products/mongo-products.repository';
import { MongoReservationsRepository } from '../src/reservations/mongo-reservations.repository';
import { MongoStockLedger } from '../src/stock/mongo-stock-ledger';
import { aCommandContext, aProduct, anOrderId } from './support/builders';
import { stockHarness } from './support/stock-harness';

const mongoUrl = process.env['MONGO_URL'] ?? 'mongodb://127.0.0.1:27017';

/**
 * The stock rules under real concurrency on the MongoDB-wire server (FerretDB here), where
 * conditional updates are not serialised: only the ledger's unique keys keep stock conserved.
 */
describe('stock rules over MongoDB under concurrency', () => {
  let mongo: MongoClient;
  let db: Db;
  let harness: ReturnType<typeof stockHarness>;
  beforeAll(async () => {
    mongo = createMongoClient(mongoUrl, 'inventory-int-test');
    await requireInfrastructure(`MongoDB at ${mongoUrl}`, () => mongo.connect());
    db = mongo.db(`inventory-rules-${randomUUID().slice(0, 8)}`);
    harness = stockHarness({
      products: new MongoProductsRepository(db),
      ledger: new MongoStockLedger(db),
      reservations: new MongoReservationsRepository(db),
    });
    for (const store of [harness.products, harness.ledger, harness.reservations]) await store.ensureIndexes();
  });
  afterAll(async () => {
    await db.dropDatabase();
    await mongo.close();
  });

  async function productWith(initialStock: number) {
    const product = aProduct({ initialStock });
    await harness.products.insert(product);
    return product.sku;
  }

  async function expectConserved(sku: string) {
    for (const entry of await harness.ledger.history(sku)) {
      expect(entry.available).toBeGreaterThanOrEqual(0);
      expect(entry.reserved).toBeGreaterThanOrEqual(0);
      expect(entry.available + entry.reserved + entry.sold).toBe(entry.initial + entry.restocked);
    }
  }

  it('when 50 orders reserve 1 of 10 units all at once, then exactly 10 succeed and available ends at 0', async () => {
    const sku = await productWith(10);
    const decisions = await Promise.all(
      Array.from({ length: 50 }, () =>
        harness.reserveStock.execute(
          { orderId: anOrderId(), items: [{ sku, quantity: 1 }] },
          aCommandContext(),
        ),
      ),
    );
    expect(decisions.filter((decision) => decision.status === 'reserved')).toHaveLength(10);
    expect(decisions.filter((decision) => decision.status === 'rejected')).toHaveLength(40);
    expect(await harness.levelOf(sku)).toMatchObject({ available: 0, reserved: 10 });
    await expectConserved(sku);
  }, 60_000);

  it('when two-line orders race for two scarce skus, then no order holds only part of its lines', async () => {
    const [a, b] = [await productWith(5), await productWith(5)];
    const orders = Array.from({ length: 12 }, () => anOrderId());
    const decisions = await Promise.all(
      orders.map((orderId, index) =>
        harness.reserveStock.execute(
          {
            orderId,
            items:
              index % 2
                ? [
                    { sku: a, quantity: 1 },
                    { sku: b, quantity: 1 },
                  ]
                : [
                    { sku: b, quantity: 1 },
                    { sku: a, quantity: 1 },
                  ],
          },
          aCommandContext(),
        ),
      ),
    );
    const reserved = decisions.filter((decision) => decision.status === 'reserved').length;
    expect(await harness.levelOf(a)).toMatchObject({ reserved, available: 5 - reserved });
    expect(await harness.levelOf(b)).toMatchObject({ reserved, available: 5 - reserved });
    await expectConserved(a);
    await expectConserved(b);
  }, 60_000);

  it('when the same ReserveStock, CommitStock and ReleaseStock run concurrently and repeatedly, then stock moves once per step', async () => {
    const sku = await productWith(20);
    const orderId = anOrderId();
    const command = { orderId, items: [{ sku, quantity: 3 }] };
    await Promise.all(
      Array.from({ length: 8 }, () => harness.reserveStock.execute(command, aCommandContext())),
    );
    const settled = await Promise.allSettled([
      ...Array.from({ length: 4 }, () => harness.commitStock.execute({ orderId }, aCommandContext())),
      ...Array.from({ length: 4 }, () => harness.releaseStock.execute({ orderId }, aCommandContext())),
    ]);
    const settlement = await harness.reservations.findSettlement(orderId);
    const level = await harness.levelOf(sku);
    if (settlement?.status === 'committed')
      expect(level).toMatchObject({ available: 17, reserved: 0, sold: 3 });
    else expect(level).toMatchObject({ available: 20, reserved: 0, sold: 0 });
    // The losing kind of settlement either refused (commit after release) or answered without moving stock.
    expect(settled.some((result) => result.status === 'fulfilled')).toBe(true);
    await expectConserved(sku);
  }, 60_000);
});
