import { anOrderBody, type Reply } from './support/order-client';
import { startOrderHarness, type OrderHarness } from './support/order-app';

describe('GET /api/orders and /api/orders/{orderId} (embedded)', () => {
  let harness: OrderHarness;
  beforeAll(async () => {
    harness = await startOrderHarness();
  });
  afterAll(() => harness.close());

  const placeAs = async (user: 'alice' | 'bob', quantity = 1) => {
    const reply = await harness.users[user].place(anOrderBody({ items: [{ sku: 'TEA-GREEN', quantity }] }));
    if (reply.status !== 202) throw new Error(`place answered ${reply.status}`);
    return reply.body.orderId as string;
  };
  const expectNotFound = (reply: Reply) => {
    expect(reply.status).toBe(404);
    expect(reply.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  };

  describe('GET /api/orders/{orderId}', () => {
    it('when the owner reads a new order, then it is PENDING with one history entry at its creation', async () => {
      const orderId = await placeAs('alice', 3);
      const reply = await harness.users.alice.order(orderId);
      expect(reply.status).toBe(200);
      expect(reply.body).toEqual({
        orderId,
        status: 'PENDING',
        items: [{ sku: 'TEA-GREEN', quantity: 3, unitPriceCents: 650 }],
        totalCents: 1950,
        currency: 'EUR',
        createdAt: expect.any(String),
        updatedAt: expect.any(String),
        history: [{ status: 'PENDING', at: reply.body.createdAt }],
      });
    });

    it('when another user reads it, then 404, the same answer as for an order that does not exist', async () => {
      const orderId = await placeAs('alice');
      const others = await harness.users.bob.order(orderId);
      const unknown = await harness.users.bob.order('00000000-0000-4000-8000-000000000000');
      expectNotFound(others);
      expectNotFound(unknown);
      const { instance: _a, traceId: _b, ...otherProblem } = others.body;
      const { instance: _c, traceId: _d, ...unknownProblem } = unknown.body;
      expect(otherProblem).toEqual(unknownProblem);
    });

    it('when an admin reads it, then 200', async () => {
      const orderId = await placeAs('alice');
      const reply = await harness.users.admin.order(orderId);
      expect(reply.status).toBe(200);
      expect(reply.body.orderId).toBe(orderId);
    });

    it('when no token is sent, then 401', async () => {
      const orderId = await placeAs('alice');
      expect((await harness.users.anonymous.order(orderId)).status).toBe(401);
    });
  });

  describe('GET /api/orders', () => {
    it("when pages are followed by nextCursor, then the caller's orders come once each, newest first, and the last page has null", async () => {
      const placed: string[] = [];
      for (let index = 0; index < 5; index++) {
        placed.push(await placeAs('bob', index + 1));
        // Each order in a millisecond of its own, so "newest first" has one answer.
        await new Promise((resolve) => setTimeout(resolve, 2));
      }
      const seen: string[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const reply: Reply = await harness.users.bob.list(`?limit=2${cursor ? `&cursor=${cursor}` : ''}`);
        expect(reply.status).toBe(200);
        expect(reply.body.items.length).toBeLessThanOrEqual(2);
        seen.push(...reply.body.items.map((order: { orderId: string }) => order.orderId));
        cursor = reply.body.nextCursor;
        pages += 1;
      } while (cursor !== null);
      expect(seen).toEqual([...placed].reverse());
      expect(pages).toBe(3);
    });

    it('when a user lists, then only their own orders come, as full orders', async () => {
      const alices = await placeAs('alice');
      const reply = await harness.users.bob.list('?limit=100');
      expect(reply.body.items.map((order: { orderId: string }) => order.orderId)).not.toContain(alices);
      expect(reply.body.items[0]).toMatchObject({ status: 'PENDING', history: [{ status: 'PENDING' }] });
    });

    it('when no limit is given, then a page holds at most 20', async () => {
      for (let index = 0; index < 21; index++) await placeAs('alice');
      const reply = await harness.users.alice.list();
      expect(reply.body.items).toHaveLength(20);
      expect(reply.body.nextCursor).toEqual(expect.any(String));
    });

    it.each(['limit=0', 'limit=101', 'limit=ten', 'cursor=not-ours'])(
      'when the query has %s, then 400',
      async (query) => {
        const reply = await harness.users.alice.list(`?${query}`);
        expect(reply.status).toBe(400);
        expect(reply.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      },
    );

    it('when no token is sent, then 401', async () => {
      expect((await harness.users.anonymous.list()).status).toBe(401);
    });
  });
});
