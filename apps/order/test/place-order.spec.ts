import { anOrderBody, type Reply } from './support/order-client';
import { startOrderHarness, type OrderHarness } from './support/order-app';

describe('POST /api/orders (embedded)', () => {
  let harness: OrderHarness;
  beforeAll(async () => {
    harness = await startOrderHarness();
  });
  afterAll(() => harness.close());

  const expectProblem = (reply: Reply, status: number) => {
    expect(reply.status).toBe(status);
    expect(reply.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(reply.body).toMatchObject({ status });
  };

  describe('when the order is valid', () => {
    it('then 202 answers the priced order, PENDING, with its Location', async () => {
      const { alice } = harness.users;
      const reply = await alice.place(
        anOrderBody({
          items: [
            { sku: 'TEA-GREEN', quantity: 2 },
            { sku: 'MUG-WHITE', quantity: 1 },
          ],
        }),
      );
      expect(reply.status).toBe(202);
      expect(reply.body).toEqual({
        orderId: expect.stringMatching(/^[0-9a-f-]{36}$/),
        status: 'PENDING',
        items: [
          { sku: 'TEA-GREEN', quantity: 2, unitPriceCents: 650 },
          { sku: 'MUG-WHITE', quantity: 1, unitPriceCents: 1200 },
        ],
        totalCents: 2500,
        currency: 'EUR',
        createdAt: expect.any(String),
      });
      expect(new Date(reply.body.createdAt).toISOString()).toBe(reply.body.createdAt);
      expect(reply.headers.get('location')).toBe(`/api/orders/${reply.body.orderId}`);
      expect((await alice.order(reply.body.orderId)).body).toMatchObject({
        status: 'PENDING',
        totalCents: 2500,
      });
    });

    it('then OrderPlaced is published and the saga sends ReserveStock for its lines, both correlated with the order', async () => {
      const reply = await harness.users.alice.place(
        anOrderBody({ items: [{ sku: 'MUG-WHITE', quantity: 3 }] }),
      );
      const { orderId } = reply.body;
      const placed = await harness.messages.waitFor(orderId, 'OrderPlaced');
      expect(placed).toMatchObject({
        correlationId: orderId,
        data: {
          orderId,
          userId: 'alice',
          items: [{ sku: 'MUG-WHITE', quantity: 3, unitPriceCents: 1200 }],
          totalCents: 3600,
          currency: 'EUR',
        },
      });
      const reserve = await harness.messages.waitFor(orderId, 'ReserveStock');
      expect(reserve).toMatchObject({
        correlationId: orderId,
        data: { orderId, items: [{ sku: 'MUG-WHITE', quantity: 3 }] },
      });
    });
  });

  describe('when the order is refused, then nothing is created', () => {
    const ordersOf = async () => (await harness.users.bob.list('?limit=100')).body.items.length;

    it.each([
      ['no items', 'items', { items: [] }],
      ['a quantity of 0', 'items.0.quantity', { items: [{ sku: 'TEA-GREEN', quantity: 0 }] }],
      ['a quantity over 100', 'items.0.quantity', { items: [{ sku: 'TEA-GREEN', quantity: 101 }] }],
      ['an unknown payment token', 'paymentMethod', { paymentMethod: 'tok_unknown' }],
      ['an unknown field', 'giftWrap', { giftWrap: true }],
      [
        'a sku twice',
        'items.1.sku',
        {
          items: [
            { sku: 'TEA-GREEN', quantity: 1 },
            { sku: 'TEA-GREEN', quantity: 2 },
          ],
        },
      ],
    ])('%s → 400 naming %s', async (_case, field, overrides) => {
      const before = await ordersOf();
      const reply = await harness.users.bob.place(anOrderBody(overrides));
      expectProblem(reply, 400);
      expect(reply.body.errors).toContainEqual(expect.objectContaining({ field }));
      expect(await ordersOf()).toBe(before);
    });

    it('an unknown sku → 400 naming every unknown sku', async () => {
      const reply = await harness.users.bob.place(
        anOrderBody({
          items: [
            { sku: 'TEA-GREEN', quantity: 1 },
            { sku: 'NO-SUCH-TEA', quantity: 1 },
            { sku: 'NO-SUCH-MUG', quantity: 1 },
          ],
        }),
      );
      expectProblem(reply, 400);
      expect(reply.body).toMatchObject({
        type: '/problems/unknown-sku',
        skus: ['NO-SUCH-TEA', 'NO-SUCH-MUG'],
      });
      expect(reply.body.detail).toContain('NO-SUCH-TEA');
      expect(await ordersOf()).toBe(0);
    });

    it('a total above the most one order may cost (even beyond 2^53) → 422, nothing placed, and the same again on a retry with the key', async () => {
      harness.inventory.product('GOLD-TEA', Number.MAX_SAFE_INTEGER, 'EUR');
      const body = anOrderBody({ items: [{ sku: 'GOLD-TEA', quantity: 2 }] });
      const reply = await harness.users.bob.place(body, 'gold-key');
      expectProblem(reply, 422);
      expect(reply.body).toMatchObject({
        type: '/problems/order-total-too-large',
        maxTotalCents: 10_000_000_000,
      });
      const again = await harness.users.bob.place(body, 'gold-key');
      expectProblem(again, 422);
      expect(await ordersOf()).toBe(0);
    });

    it('products priced in several currencies → 400', async () => {
      harness.inventory.product('MUG-DOLLAR', 1500, 'USD');
      const reply = await harness.users.bob.place(
        anOrderBody({
          items: [
            { sku: 'TEA-GREEN', quantity: 1 },
            { sku: 'MUG-DOLLAR', quantity: 1 },
          ],
        }),
      );
      expectProblem(reply, 400);
      expect(reply.body.type).toBe('/problems/mixed-currencies');
      expect(await ordersOf()).toBe(0);
    });

    it('a body that is not JSON → 400', async () => {
      const reply = await harness.users.bob.place('{"items": [');
      expectProblem(reply, 400);
      expect(await ordersOf()).toBe(0);
    });

    it('no access token → 401 with WWW-Authenticate', async () => {
      const reply = await harness.users.anonymous.place(anOrderBody());
      expectProblem(reply, 401);
      expect(reply.headers.get('www-authenticate')).toMatch(/^Bearer/);
    });
  });
});
