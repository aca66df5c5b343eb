import { ReservationNotCommittableError, ReservationNotDecidedError } from '../src/domain/errors';
import { aCommandContext, aProduct, anOrderId, pendingEvents } from './support/builders';
import { stockHarness } from './support/stock-harness';

/** The stock commands' rules over the in-memory stores (the same rules run over MongoDB in the integration tests). */
describe('stock commands', () => {
  let harness: ReturnType<typeof stockHarness>;
  beforeEach(() => {
    harness = stockHarness();
  });

  async function productWith(initialStock: number) {
    const product = aProduct({ initialStock });
    await harness.products.insert(product);
    return product.sku;
  }

  async function reservationEvents(orderId: string) {
    return (await pendingEvents(harness.reservations.outbox)).filter(
      (event) => event.data.orderId === orderId,
    );
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
      expect(await reservationEvents(orderId)).toEqual([{ type: 'StockReserved', data: { orderId, items } }]);
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
      expect(await harness.reservations.findDecision(orderId)).toBeUndefined();
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
    expect(await pendingEvents(harness.ledger.outbox)).toEqual([
      { type: 'ProductChanged', data: expect.objectContaining({ sku: a, available: 3 }) },
    ]);
  });
});
