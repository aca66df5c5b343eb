import { randomUUID } from 'node:crypto';
import { DuplicateIdempotencyKeyError } from '@platform/idempotency';
import type { StoredOutboxEvent } from '@platform/messaging';
import type { OrdersRepository } from '../../src/orders/orders.repository.port';
import { aNewOrder, aPlacedOrder, startOf } from '../support/builders';

/** Publishes the order's events one by one, oldest first, as a relay would: claim, publish, claim the next. */
async function drainOutbox(orders: OrdersRepository, orderId: string): Promise<StoredOutboxEvent[]> {
  const owner = `test-${randomUUID()}`;
  const published: StoredOutboxEvent[] = [];
  for (;;) {
    const [head] = (
      await orders.outbox.claim({ owner, limit: 10_000, leaseMs: 60_000, now: new Date() })
    ).filter((one) => one.aggregateId === orderId);
    if (!head) return published;
    published.push(head.event);
    await orders.outbox.markPublished(head, new Date());
  }
}

/** One suite for every OrdersRepository: the in-memory one and the MongoDB one pass the same tests. */
export function ordersRepositoryContract(name: string, newRepository: () => Promise<OrdersRepository>): void {
  describe(`${name} (OrdersRepository contract)`, () => {
    let orders: OrdersRepository;
    beforeEach(async () => {
      orders = await newRepository();
    });

    const user = () => `user-${randomUUID()}`;

    it('when an order is inserted, then it reads back as placed, with its saga started, with its trace', async () => {
      const order = aPlacedOrder({ userId: user() });
      await orders.insert(
        aNewOrder(order, { traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01' }),
      );
      expect(await orders.find(order.orderId)).toEqual({
        order,
        saga: startOf(order).state,
        traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
      });
      expect(await orders.find(randomUUID())).toBeUndefined();
    });

    it("when an order is inserted, then its key's record is found by user and key only", async () => {
      const inserted = aNewOrder(aPlacedOrder({ userId: user() }));
      await orders.insert(inserted);
      const { userId, key } = inserted.idempotency.scope;
      expect(await orders.idempotencyRecords.find(userId, key)).toEqual(inserted.idempotency.record);
      expect(await orders.idempotencyRecords.find(userId, 'another-key')).toBeUndefined();
      expect(await orders.idempotencyRecords.find(user(), key)).toBeUndefined();
    });

    it('when the same user inserts a second order under the same key, then DuplicateIdempotencyKeyError and the second is not stored', async () => {
      const first = aNewOrder(aPlacedOrder({ userId: user() }));
      await orders.insert(first);
      const second = aNewOrder(aPlacedOrder({ userId: first.order.userId }), {
        idempotency: first.idempotency,
      });
      await expect(orders.insert(second)).rejects.toBeInstanceOf(DuplicateIdempotencyKeyError);
      expect(await orders.find(second.order.orderId)).toBeUndefined();
      expect(await orders.find(first.order.orderId)).toBeDefined();
    });

    it('when another user inserts under the same key, then both orders are stored', async () => {
      const first = aNewOrder(aPlacedOrder({ userId: user() }));
      await orders.insert(first);
      const other = aPlacedOrder({ userId: user() });
      await orders.insert(
        aNewOrder(other, {
          idempotency: {
            ...first.idempotency,
            scope: { userId: other.userId, key: first.idempotency.scope.key },
          },
        }),
      );
      expect(await orders.find(other.orderId)).toBeDefined();
    });

    it("when a user's orders are paged, then they come newest first, equal times by descending id, only theirs, after the position given", async () => {
      const owner = user();
      const at = (second: number) => new Date(Date.UTC(2026, 4, 1, 10, 0, second));
      const placed = [
        aPlacedOrder({ userId: owner, createdAt: at(1), orderId: `a-${randomUUID()}` }),
        aPlacedOrder({ userId: owner, createdAt: at(2), orderId: `b-${randomUUID()}` }),
        aPlacedOrder({ userId: owner, createdAt: at(2), orderId: `c-${randomUUID()}` }),
        aPlacedOrder({ userId: owner, createdAt: at(3), orderId: `d-${randomUUID()}` }),
      ];
      for (const order of placed) await orders.insert(aNewOrder(order));
      await orders.insert(aNewOrder(aPlacedOrder({ userId: user(), createdAt: at(2) })));

      const ids = async (after?: (typeof placed)[number], limit = 10) =>
        (
          await orders.pageOf(owner, after && { createdAt: after.createdAt, orderId: after.orderId }, limit)
        ).map(({ order }) => order.orderId);
      const [a, b, c, d] = placed.map((order) => order.orderId);
      expect(await ids()).toEqual([d, c, b, a]);
      expect(await ids(undefined, 2)).toEqual([d, c]);
      expect(await ids(placed[2])).toEqual([b, a]);
      expect(await ids(placed[1])).toEqual([a]);
      expect(await ids(placed[0])).toEqual([]);
    });

    it('when a saga step is saved on the version it was decided on, then it is kept, and a save on an older version is refused', async () => {
      const order = aPlacedOrder({ userId: user() });
      await orders.insert(aNewOrder(order));
      const started = startOf(order).state;
      const next = { ...started, version: 2, step: 'authorize-payment' };
      expect(await orders.sagas.save(next, [], { now: new Date() })).toBe(true);
      expect(await orders.sagas.save({ ...started, version: 2 }, [], { now: new Date() })).toBe(false);
      expect(await orders.sagas.load(order.orderId)).toEqual(next);
      expect((await orders.find(order.orderId))?.saga).toEqual(next);
    });

    it('when 40 writers save the same saga version at once, then exactly one commits, with its commands only', async () => {
      const order = aPlacedOrder({ userId: user() });
      await orders.insert(aNewOrder(order));
      const started = startOf(order).state;
      const saves = await Promise.all(
        Array.from({ length: 40 }, (_, writer) =>
          orders.sagas.save(
            { ...started, version: 2, step: `writer-${writer}` },
            [{ type: 'ReleaseStock', data: { orderId: order.orderId, writer } }],
            { now: new Date() },
          ),
        ),
      );
      expect(saves.filter(Boolean)).toHaveLength(1);
      const winner = saves.indexOf(true);
      expect(await orders.sagas.load(order.orderId)).toMatchObject({ version: 2, step: `writer-${winner}` });
      const released = await drainOutbox(orders, order.orderId);
      expect(released.filter((event) => event.type === 'ReleaseStock')).toEqual([
        expect.objectContaining({ data: { orderId: order.orderId, writer: winner } }),
      ]);
    });

    it('when orders are placed, then their sagas are found unfinished, and due once their deadline passed', async () => {
      const order = aPlacedOrder({ userId: user() });
      await orders.insert(aNewOrder(order));
      const { state } = startOf(order);
      expect(await orders.sagas.findUnfinished('order')).toContain(order.orderId);
      expect(await orders.sagas.findDue('order', (state.deadline ?? 0) - 1, 10_000)).not.toContain(
        order.orderId,
      );
      expect(await orders.sagas.findDue('order', state.deadline ?? 0, 10_000)).toContain(order.orderId);
      await orders.sagas.save({ ...state, version: 2, status: 'COMPLETED', deadline: null }, [], {
        now: new Date(),
      });
      expect(await orders.sagas.findUnfinished('order')).not.toContain(order.orderId);
    });

    it('when an order is inserted, then the outbox hands out OrderPlaced, then ReserveStock, and its relay is woken', async () => {
      const order = aPlacedOrder({ userId: user() });
      let wakes = 0;
      const stopListening = orders.outbox.written.listen(() => (wakes += 1));
      await orders.insert(aNewOrder(order));
      stopListening();
      expect(wakes).toBe(1);
      expect((await drainOutbox(orders, order.orderId)).map((event) => event.type)).toEqual([
        'OrderPlaced',
        'ReserveStock',
      ]);
    });
  });
}
