import { randomUUID } from 'node:crypto';
import { anOrderBody } from './support/order-client';
import { startOrderHarness, type OrderHarness } from './support/order-app';

describe('POST /api/orders and its Idempotency-Key (embedded)', () => {
  let harness: OrderHarness;
  beforeAll(async () => {
    harness = await startOrderHarness();
  });
  afterAll(() => harness.close());

  const ordersOf = async (user: 'alice' | 'bob') =>
    (await harness.users[user].list('?limit=100')).body.items as { orderId: string }[];

  it('when no Idempotency-Key is sent, then 400 and nothing is created', async () => {
    const before = (await ordersOf('alice')).length;
    const reply = await harness.users.alice.place(anOrderBody(), null);
    expect(reply.status).toBe(400);
    expect(reply.body.type).toBe('/problems/idempotency-key-missing');
    expect((await ordersOf('alice')).length).toBe(before);
  });

  it('when the key is longer than 255 characters, then 400', async () => {
    const reply = await harness.users.alice.place(anOrderBody(), 'x'.repeat(256));
    expect(reply.status).toBe(400);
    expect(reply.body.type).toBe('/problems/idempotency-key-malformed');
  });

  it('when the same request comes again, then the first response is replayed with Idempotent-Replayed, without pricing it again or a second order', async () => {
    const key = randomUUID();
    const body = anOrderBody({ items: [{ sku: 'MUG-WHITE', quantity: 4 }] });
    const first = await harness.users.alice.place(body, key);
    expect(first.status).toBe(202);
    const pricedBefore = harness.inventory.callsFor('MUG-WHITE');
    const before = (await ordersOf('alice')).length;

    // The same body with its keys in another order is the same request.
    const again = await harness.users.alice.place(
      { paymentMethod: body.paymentMethod, items: body.items },
      key,
    );
    expect(again.status).toBe(202);
    expect(again.body).toEqual(first.body);
    expect(again.headers.get('location')).toBe(first.headers.get('location'));
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(harness.inventory.callsFor('MUG-WHITE')).toBe(pricedBefore);
    expect((await ordersOf('alice')).length).toBe(before);
    expect(first.headers.get('idempotent-replayed')).toBeNull();
  });

  it('when the same key comes with another body, then 422 and nothing is created', async () => {
    const key = randomUUID();
    expect((await harness.users.alice.place(anOrderBody(), key)).status).toBe(202);
    const before = (await ordersOf('alice')).length;
    const reply = await harness.users.alice.place(anOrderBody({ paymentMethod: 'tok_slow' }), key);
    expect(reply.status).toBe(422);
    expect(reply.body.type).toBe('/problems/idempotency-key-reused');
    expect((await ordersOf('alice')).length).toBe(before);
  });

  it('when the same key comes while the first request is still running, then 409 with Retry-After, and the first one still succeeds', async () => {
    const key = randomUUID();
    harness.inventory.hold();
    const calls = harness.inventory.calls.length;
    const first = harness.users.alice.place(anOrderBody(), key);
    try {
      // The first request is inside its execution once it asks inventory for prices.
      while (harness.inventory.calls.length === calls) await new Promise((resolve) => setTimeout(resolve, 5));
      const second = await harness.users.alice.place(anOrderBody(), key);
      expect(second.status).toBe(409);
      expect(second.body.type).toBe('/problems/idempotency-key-in-use');
      expect(second.headers.get('retry-after')).toBe('1');
    } finally {
      harness.inventory.release();
    }
    expect((await first).status).toBe(202);
    expect((await harness.users.alice.place(anOrderBody(), key)).headers.get('idempotent-replayed')).toBe(
      'true',
    );
  });

  it('when another user sends the same key, then it is an independent request with its own order', async () => {
    const key = randomUUID();
    const alices = await harness.users.alice.place(anOrderBody(), key);
    const bobs = await harness.users.bob.place(anOrderBody(), key);
    expect(bobs.status).toBe(202);
    expect(bobs.headers.get('idempotent-replayed')).toBeNull();
    expect(bobs.body.orderId).not.toBe(alices.body.orderId);
    expect((await ordersOf('bob')).map((order) => order.orderId)).toContain(bobs.body.orderId);
  });

  it('when a refused body is corrected under the same key, then the corrected one is placed (a 400 stores no record)', async () => {
    const key = randomUUID();
    const refused = await harness.users.alice.place(
      anOrderBody({ items: [{ sku: 'NO-SUCH-SKU', quantity: 1 }] }),
      key,
    );
    expect(refused.status).toBe(400);
    const invalid = await harness.users.alice.place(anOrderBody({ items: [] }), key);
    expect(invalid.status).toBe(400);
    const placed = await harness.users.alice.place(anOrderBody(), key);
    expect(placed.status).toBe(202);
    expect(placed.headers.get('idempotent-replayed')).toBeNull();
  });

  it('when 20 identical requests race, then one order is placed and every answer is that order (202) or in flight (409)', async () => {
    const key = randomUUID();
    const before = (await ordersOf('bob')).length;
    const replies = await Promise.all(
      Array.from({ length: 20 }, () => harness.users.bob.place(anOrderBody(), key)),
    );
    const placed = replies.filter((reply) => reply.status === 202);
    expect(placed.length + replies.filter((reply) => reply.status === 409).length).toBe(20);
    expect(new Set(placed.map((reply) => reply.body.orderId)).size).toBe(1);
    expect((await ordersOf('bob')).length).toBe(before + 1);
  });
});
