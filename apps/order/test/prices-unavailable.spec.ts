import { randomUUID } from 'node:crypto';
import { anOrderBody, type Reply } from './support/order-client';
import { startOrderHarness, type OrderHarness } from './support/order-app';

describe('POST /api/orders while inventory cannot price it (embedded)', () => {
  let harness: OrderHarness;
  beforeAll(async () => {
    harness = await startOrderHarness();
  });
  afterAll(() => harness.close());

  const ordersOfAlice = async () => (await harness.users.alice.list('?limit=100')).body.items.length;
  const expectUnavailable = (reply: Reply) => {
    expect(reply.status).toBe(503);
    expect(reply.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(reply.body).toMatchObject({ status: 503, type: '/problems/prices-unavailable' });
    expect(Number(reply.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
  };

  it('when inventory answers 503, then 503 with Retry-After, nothing is created, and the same key works once inventory is back', async () => {
    const key = randomUUID();
    harness.inventory.fail();
    const refused = await harness.users.alice.place(anOrderBody(), key);
    expectUnavailable(refused);
    expect(await ordersOfAlice()).toBe(0);

    harness.inventory.fail(false);
    const placed = await harness.users.alice.place(anOrderBody(), key);
    expect(placed.status).toBe(202);
    expect(placed.headers.get('idempotent-replayed')).toBeNull();
    expect(await ordersOfAlice()).toBe(1);
  });

  it('when inventory is not listening, then 503 and nothing is created', async () => {
    const before = await ordersOfAlice();
    await harness.inventory.stop();
    try {
      expectUnavailable(await harness.users.alice.place(anOrderBody()));
      expect(await ordersOfAlice()).toBe(before);
    } finally {
      await harness.inventory.start();
    }
  });

  it('when inventory keeps failing, then the breaker opens and later orders are refused without calling it', async () => {
    harness.inventory.fail();
    // Five failed price reads fill the breaker's window.
    for (let attempt = 0; attempt < 5; attempt++)
      expectUnavailable(await harness.users.alice.place(anOrderBody()));
    const calls = harness.inventory.calls.length;
    harness.inventory.fail(false);

    const refused = await harness.users.alice.place(anOrderBody());
    expectUnavailable(refused);
    expect(harness.inventory.calls.length).toBe(calls);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(1);
  });
});
