import { randomUUID } from 'node:crypto';
import { eventually } from '@platform/testing';
import { anOrderBody } from './support/order-client';
import { startOrderHarness, type OrderHarness } from './support/order-app';

/** Back-pressure: no order is placed while ORDER_MAX_UNFINISHED are unfinished. */
describe('POST /api/orders while too many orders are unfinished (embedded)', () => {
  let harness: OrderHarness;
  beforeAll(async () => {
    harness = await startOrderHarness({ ORDER_MAX_UNFINISHED: '2' });
  });
  afterAll(() => harness.close());

  const ordersOfAlice = async () => (await harness.users.alice.list('?limit=100')).body.items.length;

  it('when the limit is reached, then 503 overloaded with Retry-After, nothing is created, and the same key works once an order has ended', async () => {
    const first = await harness.users.alice.place(anOrderBody());
    const second = await harness.users.alice.place(anOrderBody());
    expect([first.status, second.status]).toEqual([202, 202]);

    const key = randomUUID();
    const refused = await harness.users.alice.place(anOrderBody(), key);
    expect(refused.status).toBe(503);
    expect(refused.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(refused.headers.get('retry-after')).toBe('1');
    // Not processed: callers' breakers do not count it as the service failing.
    expect(refused.headers.get('x-request-not-processed')).toBe('overloaded');
    expect(refused.body).toMatchObject({ status: 503, type: '/problems/overloaded' });
    expect(await ordersOfAlice()).toBe(2);
    // Refused before pricing: the refusal costs inventory nothing.
    const priced = harness.inventory.calls.length;
    await harness.users.alice.place(anOrderBody());
    expect(harness.inventory.calls.length).toBe(priced);

    // Out of stock: the first order ends CANCELLED, which makes room.
    await harness.messages.waitFor(first.body.orderId, 'ReserveStock');
    await harness.messages.stockRejected(first.body.orderId);
    await eventually(
      async () =>
        (await harness.users.alice.order(first.body.orderId)).body.status === 'CANCELLED' ? true : undefined,
      15_000,
      20,
    );
    const placed = await eventually(
      async () => {
        const reply = await harness.users.alice.place(anOrderBody(), key);
        return reply.status === 202 ? reply : undefined;
      },
      15_000,
      50,
    );
    expect(placed.headers.get('idempotent-replayed')).toBeNull();
    expect(await ordersOfAlice()).toBe(3);
  });
});
