import { randomUUID } from 'node:crypto';
import { DuplicateIdempotencyKeyError } from '@platform/idempotency';
import { startSaga } from '@platform/saga';
import type { OrdersRepository } from '../../src/orders/orders.repository.port';
import { orderSagaDefinition } from '../../src/saga/order-saga';
import { orderSagaDataOf } from '../../src/saga/order-saga-data-of';
import { aNewOrder, aPlacedOrder } from '../support/builders';

const saga = orderSagaDefinition({ stockMs: 30_000, paymentMs: 8000, compensationMs: 10_000 });

/** One suite for every OrdersRepository: the in-memory one and the MongoDB one pass the same tests. */
export function ordersRepositoryContract(name: string, newRepository: () => Promise<OrdersRepository>): void {
  describe(`${name} (OrdersRepository contract)`, () => {
    let orders: OrdersRepository;
    beforeEach(async () => {
      orders = await newRepository();
    });

    const user = () => `user-${randomUUID()}`;

    it('when an order is inserted, then it reads back as placed, without a saga, with its trace', async () => {
      const order = aPlacedOrder({ userId: user() });
      await orders.insert(
        aNewOrder(order, { traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01' }),
      );
      expect(await orders.find(order.orderId)).toEqual({
        order,
        saga: undefined,
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

    it('when a saga is saved, then the order reads back with it, and the sweep no longer finds the order', async () => {
      const order = aPlacedOrder({ userId: user(), createdAt: new Date(Date.now() - 60_000) });
      const unstarted = aPlacedOrder({ userId: order.userId, createdAt: new Date(Date.now() - 60_000) });
      const recent = aPlacedOrder({ userId: order.userId, createdAt: new Date(Date.now() + 60_000) });
      for (const placed of [order, unstarted, recent]) await orders.insert(aNewOrder(placed));

      const started = startSaga(saga, order.orderId, orderSagaDataOf(order), Date.now());
      expect(
        await orders.sagas.save({ ...started.state, version: 1 }, started.commands, { now: new Date() }),
      ).toBe(true);
      const stored = await orders.find(order.orderId);
      expect(stored?.order).toEqual(order);
      expect(stored?.saga).toMatchObject({ status: 'RUNNING', version: 1, data: { orderId: order.orderId } });

      const missed = (await orders.withoutSaga(new Date(), 1000)).map(({ order: found }) => found.orderId);
      expect(missed).toContain(unstarted.orderId);
      expect(missed).not.toContain(order.orderId);
      expect(missed).not.toContain(recent.orderId);
    });

    it("when an order's saga starts, then the outbox hands out OrderPlaced, then ReserveStock", async () => {
      const order = aPlacedOrder({ userId: user() });
      await orders.insert(aNewOrder(order));
      const started = startSaga(saga, order.orderId, orderSagaDataOf(order), Date.now());
      await orders.sagas.save({ ...started.state, version: 1 }, started.commands, { now: new Date() });

      const owner = `test-${randomUUID()}`;
      const types: string[] = [];
      // One event per order at a time, oldest first: claim, publish, claim the next.
      for (let round = 0; round < 2; round++) {
        const claimed = (
          await orders.outbox.claim({ owner, limit: 10_000, leaseMs: 60_000, now: new Date() })
        ).filter((one) => one.aggregateId === order.orderId);
        expect(claimed).toHaveLength(1);
        const [head] = claimed;
        if (!head) throw new Error('nothing claimed');
        types.push(head.event.type);
        await orders.outbox.markPublished(head, new Date());
      }
      expect(types).toEqual(['OrderPlaced', 'ReserveStock']);
    });
  });
}
