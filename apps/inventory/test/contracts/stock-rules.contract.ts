import { randomUUID } from 'node:crypto';
import {
  ReservationNotCommittableError,
  ReservationNotDecidedError,
  StockContentionError,
  StockInvariantError,
} from '../../src/domain/errors';
import type { Reservation } from '../../src/reservations/reservations.repository.port';
import { aCommandContext, aProduct, anOrderId, drainEvents } from '../support/builders';
import { type StockStores, replaceOnce, stockHarness } from '../support/stock-harness';

export interface StockRulesSubject {
  /** Fresh stores (fresh objects, so a test may replace their methods) over the suite's data. */
  stores(): StockStores;
  cleanup(): Promise<void>;
}

const crash = async () => {
  throw new Error('injected crash');
};

/**
 * The stock commands' rules, run over the in-memory stores and over MongoDB: each order step moves
 * stock at most once, whatever races it, however often it is delivered, wherever it crashes.
 */
export function describeStockRulesContract(name: string, factory: () => Promise<StockRulesSubject>): void {
  describe(`stock rules: ${name}`, () => {
    let subject: StockRulesSubject;
    let harness: ReturnType<typeof stockHarness>;
    beforeAll(async () => {
      subject = await factory();
      const stores = subject.stores();
      for (const store of [stores.products, stores.stock, stores.reservations]) await store.ensureIndexes();
    });
    afterAll(() => subject.cleanup());
    beforeEach(() => {
      harness = stockHarness(subject.stores());
    });

    async function productWith(initialStock: number) {
      const product = aProduct({ initialStock });
      await harness.products.insert(product);
      return product.sku;
    }

    async function reservationEvents(orderId: string) {
      return (await drainEvents(harness.reservations.outbox)).filter(
        (event) => event.data.orderId === orderId,
      );
    }

    /** The level conserves stock, no count is negative, and the holds add up to what is reserved. */
    async function expectConserved(sku: string) {
      const stock = await harness.stockOf(sku);
      if (!stock) throw new Error(`no product ${sku}`);
      const { level, holds } = stock;
      expect(level.available).toBeGreaterThanOrEqual(0);
      expect(level.reserved).toBeGreaterThanOrEqual(0);
      expect(level.available + level.reserved + level.sold).toBe(level.initial + level.restocked);
      expect(holds.reduce((total, hold) => total + hold.quantity, 0)).toBe(level.reserved);
      return stock;
    }

    describe('ReserveStock', () => {
      it('when every line is available, then all are reserved and StockReserved is written', async () => {
        const [a, b] = [await productWith(5), await productWith(2)];
        const orderId = anOrderId();
        const items = [
          { sku: a, quantity: 3 },
          { sku: b, quantity: 2 },
        ];
        const decision = await harness.reserveStock.execute({ orderId, items }, aCommandContext());
        expect(decision.status).toBe('reserved');
        expect(await harness.levelOf(a)).toMatchObject({ available: 2, reserved: 3 });
        expect(await harness.levelOf(b)).toMatchObject({ available: 0, reserved: 2 });
        expect(await reservationEvents(orderId)).toEqual([
          { type: 'StockReserved', data: { orderId, items } },
        ]);
      });

      it('when one line falls short, then nothing stays reserved and StockRejected names the short lines', async () => {
        const [a, b, c] = [await productWith(5), await productWith(1), await productWith(0)];
        const orderId = anOrderId();
        const items = [
          { sku: a, quantity: 3 },
          { sku: b, quantity: 2 },
          { sku: c, quantity: 1 },
        ];
        const decision = await harness.reserveStock.execute({ orderId, items }, aCommandContext());
        expect(decision.status).toBe('rejected');
        expect(await harness.levelOf(a)).toMatchObject({ available: 5, reserved: 0 });
        expect(await harness.levelOf(b)).toMatchObject({ available: 1, reserved: 0 });
        expect(await reservationEvents(orderId)).toEqual([
          {
            type: 'StockRejected',
            data: {
              orderId,
              reason: 'OUT_OF_STOCK',
              unavailable: [
                { sku: b, requested: 2, available: 1 },
                { sku: c, requested: 1, available: 0 },
              ],
            },
          },
        ]);
      });

      it('when a line names an unknown sku, then it is rejected with UNKNOWN_SKU', async () => {
        const a = await productWith(5);
        const orderId = anOrderId();
        await harness.reserveStock.execute(
          {
            orderId,
            items: [
              { sku: a, quantity: 1 },
              { sku: 'NO-SUCH-SKU', quantity: 1 },
            ],
          },
          aCommandContext(),
        );
        expect(await harness.levelOf(a)).toMatchObject({ available: 5, reserved: 0 });
        expect((await reservationEvents(orderId))[0]?.data).toMatchObject({
          reason: 'UNKNOWN_SKU',
          unavailable: [{ sku: 'NO-SUCH-SKU', requested: 1, available: 0 }],
        });
      });

      it('when the same sku is on two lines, then they are reserved as one', async () => {
        const a = await productWith(3);
        const orderId = anOrderId();
        const decision = await harness.reserveStock.execute(
          {
            orderId,
            items: [
              { sku: a, quantity: 2 },
              { sku: a, quantity: 1 },
            ],
          },
          aCommandContext(),
        );
        expect(decision.status).toBe('reserved');
        expect(await harness.levelOf(a)).toMatchObject({ available: 0, reserved: 3 });
      });

      it('when a second ReserveStock comes for a decided order, then stock is unchanged and the same outcome is written again', async () => {
        const a = await productWith(5);
        const orderId = anOrderId();
        const command = { orderId, items: [{ sku: a, quantity: 2 }] };
        await harness.reserveStock.execute(command, aCommandContext());
        await harness.reserveStock.execute(command, aCommandContext());
        expect(await harness.levelOf(a)).toMatchObject({ available: 3, reserved: 2 });
        expect(await reservationEvents(orderId)).toEqual([
          { type: 'StockReserved', data: command },
          { type: 'StockReserved', data: command },
        ]);
      });

      it('when a rejected order is asked again, then it is rejected again with the same lines', async () => {
        const a = await productWith(1);
        const orderId = anOrderId();
        const command = { orderId, items: [{ sku: a, quantity: 2 }] };
        await harness.reserveStock.execute(command, aCommandContext());
        await harness.products.insert(aProduct());
        await harness.reserveStock.execute(command, aCommandContext());
        const events = await reservationEvents(orderId);
        expect(events.map((event) => event.type)).toEqual(['StockRejected', 'StockRejected']);
        expect(events[1]?.data).toEqual(events[0]?.data);
      });

      it('when 30 orders race for 10 units, then exactly 10 are reserved and available ends at 0', async () => {
        const a = await productWith(10);
        const decisions = await Promise.all(
          Array.from({ length: 30 }, () =>
            harness.reserveStock.execute(
              { orderId: anOrderId(), items: [{ sku: a, quantity: 1 }] },
              aCommandContext(),
            ),
          ),
        );
        expect(decisions.filter((decision) => decision.status === 'reserved')).toHaveLength(10);
        expect(await harness.levelOf(a)).toMatchObject({ available: 0, reserved: 10 });
      });
    });

    describe('CommitStock', () => {
      it('when the order is reserved, then its stock is sold and StockCommitted is written', async () => {
        const a = await productWith(5);
        const orderId = anOrderId();
        await harness.reserveStock.execute({ orderId, items: [{ sku: a, quantity: 2 }] }, aCommandContext());
        await harness.commitStock.execute({ orderId }, aCommandContext());
        expect(await harness.levelOf(a)).toEqual({
          available: 3,
          reserved: 0,
          sold: 2,
          initial: 5,
          restocked: 0,
        });
        expect((await reservationEvents(orderId)).map((event) => event.type)).toEqual([
          'StockReserved',
          'StockCommitted',
        ]);
      });

      it('when committed twice, then stock moves once and StockCommitted is written again', async () => {
        const a = await productWith(5);
        const orderId = anOrderId();
        await harness.reserveStock.execute({ orderId, items: [{ sku: a, quantity: 2 }] }, aCommandContext());
        await harness.commitStock.execute({ orderId }, aCommandContext());
        await harness.commitStock.execute({ orderId }, aCommandContext());
        expect(await harness.levelOf(a)).toMatchObject({ available: 3, reserved: 0, sold: 2 });
        expect((await reservationEvents(orderId)).map((event) => event.type)).toEqual([
          'StockReserved',
          'StockCommitted',
          'StockCommitted',
        ]);
      });

      it('when the order was not reserved yet, then it throws a transient error and changes nothing', async () => {
        const orderId = anOrderId();
        await expect(harness.commitStock.execute({ orderId }, aCommandContext())).rejects.toBeInstanceOf(
          ReservationNotDecidedError,
        );
        expect(await harness.reservations.find(orderId)).toBeUndefined();
      });

      it('when the order was rejected, then it throws ReservationNotCommittableError', async () => {
        const a = await productWith(0);
        const orderId = anOrderId();
        await harness.reserveStock.execute({ orderId, items: [{ sku: a, quantity: 1 }] }, aCommandContext());
        await expect(harness.commitStock.execute({ orderId }, aCommandContext())).rejects.toBeInstanceOf(
          ReservationNotCommittableError,
        );
      });

      it('when the order was released, then it throws ReservationNotCommittableError and nothing is sold', async () => {
        const a = await productWith(3);
        const orderId = anOrderId();
        await harness.reserveStock.execute({ orderId, items: [{ sku: a, quantity: 1 }] }, aCommandContext());
        await harness.releaseStock.execute({ orderId }, aCommandContext());
        await expect(harness.commitStock.execute({ orderId }, aCommandContext())).rejects.toBeInstanceOf(
          ReservationNotCommittableError,
        );
        expect(await harness.levelOf(a)).toMatchObject({ available: 3, sold: 0 });
      });
    });

    describe('ReleaseStock', () => {
      it('when the order is reserved, then its stock is available again and StockReleased is written', async () => {
        const a = await productWith(5);
        const orderId = anOrderId();
        await harness.reserveStock.execute({ orderId, items: [{ sku: a, quantity: 2 }] }, aCommandContext());
        expect(await harness.releaseStock.execute({ orderId }, aCommandContext())).toBe('released');
        expect(await harness.levelOf(a)).toEqual({
          available: 5,
          reserved: 0,
          sold: 0,
          initial: 5,
          restocked: 0,
        });
        expect((await reservationEvents(orderId)).map((event) => event.type)).toEqual([
          'StockReserved',
          'StockReleased',
        ]);
      });

      it('when released twice, then stock moves once and StockReleased is written each time', async () => {
        const a = await productWith(5);
        const orderId = anOrderId();
        await harness.reserveStock.execute({ orderId, items: [{ sku: a, quantity: 2 }] }, aCommandContext());
        await harness.releaseStock.execute({ orderId }, aCommandContext());
        await harness.releaseStock.execute({ orderId }, aCommandContext());
        expect(await harness.levelOf(a)).toMatchObject({ available: 5, reserved: 0 });
        expect(
          (await reservationEvents(orderId)).filter((event) => event.type === 'StockReleased'),
        ).toHaveLength(2);
      });

      it('when the order was rejected, then nothing changes and StockReleased is still written', async () => {
        const a = await productWith(0);
        const orderId = anOrderId();
        await harness.reserveStock.execute({ orderId, items: [{ sku: a, quantity: 1 }] }, aCommandContext());
        expect(await harness.releaseStock.execute({ orderId }, aCommandContext())).toBe('nothing-reserved');
        expect(await harness.levelOf(a)).toMatchObject({ available: 0, reserved: 0 });
        expect((await reservationEvents(orderId)).map((event) => event.type)).toEqual([
          'StockRejected',
          'StockReleased',
        ]);
      });

      it('when the order was committed, then nothing is given back and StockReleased is still written', async () => {
        const a = await productWith(5);
        const orderId = anOrderId();
        await harness.reserveStock.execute({ orderId, items: [{ sku: a, quantity: 2 }] }, aCommandContext());
        await harness.commitStock.execute({ orderId }, aCommandContext());
        expect(await harness.releaseStock.execute({ orderId }, aCommandContext())).toBe('nothing-reserved');
        expect(await harness.levelOf(a)).toMatchObject({ available: 3, reserved: 0, sold: 2 });
      });

      it('when it comes before ReserveStock, then a tombstone makes the late ReserveStock reserve nothing and answer StockReleased', async () => {
        const a = await productWith(5);
        const orderId = anOrderId();
        expect(await harness.releaseStock.execute({ orderId }, aCommandContext())).toBe('tombstoned');
        const decision = await harness.reserveStock.execute(
          { orderId, items: [{ sku: a, quantity: 2 }] },
          aCommandContext(),
        );
        expect(decision).toMatchObject({ status: 'released', tombstone: true });
        expect(await harness.levelOf(a)).toMatchObject({ available: 5, reserved: 0 });
        expect((await reservationEvents(orderId)).map((event) => event.type)).toEqual([
          'StockReleased',
          'StockReleased',
        ]);
      });

      it('when it races ReserveStock for the same order, then the stock ends either released or never taken', async () => {
        const a = await productWith(5);
        for (let round = 0; round < 20; round++) {
          const orderId = anOrderId();
          await Promise.all([
            harness.reserveStock.execute({ orderId, items: [{ sku: a, quantity: 1 }] }, aCommandContext()),
            harness.releaseStock.execute({ orderId }, aCommandContext()),
          ]);
          // A reservation that won the race is still held until a later ReleaseStock: send it, as the saga would.
          await harness.releaseStock.execute({ orderId }, aCommandContext());
        }
        expect(await harness.levelOf(a)).toEqual({
          available: 5,
          reserved: 0,
          sold: 0,
          initial: 5,
          restocked: 0,
        });
      });
    });

    it('when stock changes, then each change writes ProductChanged with the new availability', async () => {
      const a = await productWith(5);
      await harness.reserveStock.execute(
        { orderId: anOrderId(), items: [{ sku: a, quantity: 2 }] },
        aCommandContext(),
      );
      expect((await drainEvents(harness.stock.outbox)).filter((event) => event.data.sku === a)).toEqual([
        { type: 'ProductChanged', data: expect.objectContaining({ sku: a, available: 3 }) },
      ]);
    });

    describe('under concurrency', () => {
      it('when 40 orders reserve 1 of the last 10 units all at once, then exactly 10 are reserved and available ends at 0', async () => {
        const sku = await productWith(10);
        const decisions = await Promise.all(
          Array.from({ length: 40 }, () =>
            harness.reserveStock.execute(
              { orderId: anOrderId(), items: [{ sku, quantity: 1 }] },
              aCommandContext(),
            ),
          ),
        );
        expect(decisions.filter((decision) => decision.status === 'reserved')).toHaveLength(10);
        expect(decisions.filter((decision) => decision.status === 'rejected')).toHaveLength(30);
        expect(await harness.levelOf(sku)).toMatchObject({ available: 0, reserved: 10 });
        expect((await expectConserved(sku)).holds).toHaveLength(10);
      }, 120_000);

      it('when the same ReserveStock is delivered 40 times at once, then its stock is held once and answered once', async () => {
        const sku = await productWith(5);
        const orderId = anOrderId();
        const context = aCommandContext();
        const command = { orderId, items: [{ sku, quantity: 2 }] };
        const decisions = await Promise.all(
          Array.from({ length: 40 }, () => harness.reserveStock.execute(command, context)),
        );
        expect(new Set(decisions.map((decision) => decision.status))).toEqual(new Set(['reserved']));
        expect(await harness.levelOf(sku)).toMatchObject({ available: 3, reserved: 2 });
        expect((await expectConserved(sku)).holds).toEqual([
          { orderId, holdId: (await harness.reservations.find(orderId))?.reserved[0]?.holdId, quantity: 2 },
        ]);
        expect(await reservationEvents(orderId)).toEqual([{ type: 'StockReserved', data: command }]);
      }, 120_000);

      it('when two-line orders race for two scarce skus, then no order holds only part of its lines', async () => {
        const [a, b] = [await productWith(5), await productWith(5)];
        const decisions = await Promise.all(
          Array.from({ length: 12 }, (_, index) =>
            harness.reserveStock.execute(
              {
                orderId: anOrderId(),
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
      }, 120_000);

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
        const { settlement } = (await harness.reservations.find(orderId)) as Reservation;
        const level = await harness.levelOf(sku);
        if (settlement === 'committed') expect(level).toMatchObject({ available: 17, reserved: 0, sold: 3 });
        else expect(level).toMatchObject({ available: 20, reserved: 0, sold: 0 });
        // The losing kind of settlement either refused (commit after release) or answered without moving stock.
        const refused = settled.filter((result) => result.status === 'rejected');
        expect(refused).toHaveLength(settlement === 'committed' ? 0 : 4);
        for (const result of refused)
          expect((result as PromiseRejectedResult).reason).toBeInstanceOf(ReservationNotCommittableError);
        expect((await expectConserved(sku)).holds).toEqual([]);
      }, 120_000);
    });

    describe('after a crash or a stale read', () => {
      it('when the reserving writer crashed after holding the stock, then the redelivery decides with that hold', async () => {
        const sku = await productWith(5);
        const orderId = anOrderId();
        const context = aCommandContext();
        const command = { orderId, items: [{ sku, quantity: 2 }] };
        replaceOnce(harness.reservations, 'create', 1, crash);
        await expect(harness.reserveStock.execute(command, context)).rejects.toThrow('injected crash');
        expect(await harness.levelOf(sku)).toMatchObject({ available: 3, reserved: 2 });
        expect((await harness.reserveStock.execute(command, context)).status).toBe('reserved');
        expect(await harness.levelOf(sku)).toMatchObject({ available: 3, reserved: 2 });
        await harness.commitStock.execute({ orderId }, aCommandContext());
        expect(await expectConserved(sku)).toMatchObject({
          level: { available: 3, reserved: 0, sold: 2 },
          holds: [],
        });
        expect((await reservationEvents(orderId)).map((event) => event.type)).toEqual([
          'StockReserved',
          'StockCommitted',
        ]);
      });

      it('when a rejection crashed before giving the held stock back, then the redelivery gives it back once', async () => {
        const [plenty, scarce] = [await productWith(5), await productWith(1)];
        const orderId = anOrderId();
        const context = aCommandContext();
        const command = {
          orderId,
          items: [
            { sku: plenty, quantity: 2 },
            { sku: scarce, quantity: 2 },
          ],
        };
        // The second stock write is the giving back (the first held `plenty`).
        replaceOnce(harness.stock, 'save', 2, crash);
        await expect(harness.reserveStock.execute(command, context)).rejects.toThrow('injected crash');
        expect(await harness.levelOf(plenty)).toMatchObject({ available: 3, reserved: 2 });
        expect((await harness.reserveStock.execute(command, context)).status).toBe('rejected');
        expect(await expectConserved(plenty)).toMatchObject({
          level: { available: 5, reserved: 0 },
          holds: [],
        });
        expect((await reservationEvents(orderId)).map((event) => event.type)).toEqual(['StockRejected']);
      });

      it.each([
        ['CommitStock', 'commitStock', { available: 3, reserved: 0, sold: 2 }, 'StockCommitted'],
        ['ReleaseStock', 'releaseStock', { available: 5, reserved: 0, sold: 0 }, 'StockReleased'],
      ] as const)(
        'when %s crashed after settling the reservation, before moving the stock, then the redelivery moves it once',
        async (_name, useCase, level, answer) => {
          const sku = await productWith(5);
          const orderId = anOrderId();
          await harness.reserveStock.execute({ orderId, items: [{ sku, quantity: 2 }] }, aCommandContext());
          const context = aCommandContext();
          replaceOnce(harness.stock, 'save', 1, crash);
          await expect(harness[useCase].execute({ orderId }, context)).rejects.toThrow('injected crash');
          expect(await harness.levelOf(sku)).toMatchObject({ available: 3, reserved: 2 });
          await harness[useCase].execute({ orderId }, context);
          await harness[useCase].execute({ orderId }, context);
          expect(await expectConserved(sku)).toMatchObject({ level, holds: [] });
          expect((await reservationEvents(orderId)).map((event) => event.type)).toEqual([
            'StockReserved',
            answer,
          ]);
        },
      );

      it('when a late ReserveStock read the order as undecided while it was reserved and committed, then what it held goes back', async () => {
        const sku = await productWith(5);
        const orderId = anOrderId();
        const command = { orderId, items: [{ sku, quantity: 2 }] };
        await harness.reserveStock.execute(command, aCommandContext());
        await harness.commitStock.execute({ orderId }, aCommandContext());
        // Its read happened before the others' writes: it finds no reservation and holds the stock again.
        replaceOnce(harness.reservations, 'find', 1, async () => undefined);
        expect(await harness.reserveStock.execute(command, aCommandContext())).toMatchObject({
          status: 'reserved',
          settlement: 'committed',
        });
        expect(await expectConserved(sku)).toMatchObject({
          level: { available: 3, reserved: 0, sold: 2 },
          holds: [],
        });
        await harness.releaseStock.execute({ orderId }, aCommandContext());
        expect(await harness.levelOf(sku)).toMatchObject({ available: 3, reserved: 0, sold: 2 });
      });

      it('when a hold placed after the order was committed is met by a later command, then it goes back and the owned one stays sold', async () => {
        const sku = await productWith(5);
        const orderId = anOrderId();
        const command = { orderId, items: [{ sku, quantity: 2 }] };
        await harness.reserveStock.execute(command, aCommandContext());
        await harness.commitStock.execute({ orderId }, aCommandContext());
        // A writer that crashed right after holding again, with its stale view.
        await harness.changes.hold(sku, { orderId, holdId: randomUUID(), quantity: 2 }, aCommandContext());
        expect(await harness.levelOf(sku)).toMatchObject({ available: 1, reserved: 2, sold: 2 });
        await harness.reserveStock.execute(command, aCommandContext());
        expect(await expectConserved(sku)).toMatchObject({
          level: { available: 3, reserved: 0, sold: 2 },
          holds: [],
        });
      });

      it("when a stray hold sits on a committed order's stock, then a repeated CommitStock does not sell it", async () => {
        const sku = await productWith(5);
        const orderId = anOrderId();
        await harness.reserveStock.execute({ orderId, items: [{ sku, quantity: 2 }] }, aCommandContext());
        await harness.commitStock.execute({ orderId }, aCommandContext());
        await harness.changes.hold(sku, { orderId, holdId: randomUUID(), quantity: 2 }, aCommandContext());
        await harness.commitStock.execute({ orderId }, aCommandContext());
        expect(await harness.levelOf(sku)).toMatchObject({ available: 1, reserved: 2, sold: 2 });
      });

      it('when the product of a held sku is gone at commit, then it stops with StockInvariantError', async () => {
        const sku = await productWith(5);
        const orderId = anOrderId();
        await harness.reserveStock.execute({ orderId, items: [{ sku, quantity: 2 }] }, aCommandContext());
        replaceOnce(harness.products, 'find', 1, async () => undefined);
        await expect(harness.commitStock.execute({ orderId }, aCommandContext())).rejects.toBeInstanceOf(
          StockInvariantError,
        );
      });

      it('when other writers keep changing the stock first, then the change gives up with StockContentionError', async () => {
        const sku = await productWith(5);
        harness.stock.save = async () => false;
        await expect(
          harness.reserveStock.execute(
            { orderId: anOrderId(), items: [{ sku, quantity: 1 }] },
            aCommandContext(),
          ),
        ).rejects.toBeInstanceOf(StockContentionError);
      });
    });
  });
}
