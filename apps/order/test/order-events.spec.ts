import { anOrderBody, type ServerSentEvent } from './support/order-client';
import { startOrderHarness, type OrderHarness } from './support/order-app';

describe('GET /api/orders/{orderId}/events (embedded)', () => {
  let harness: OrderHarness;
  beforeAll(async () => {
    harness = await startOrderHarness({ ORDER_EVENTS_HEARTBEAT_MS: '20' });
  });
  afterAll(() => harness.close());

  async function anOrder(): Promise<string> {
    const reply = await harness.users.alice.place(anOrderBody());
    if (reply.status !== 202) throw new Error(`place answered ${reply.status}`);
    await harness.messages.waitFor(reply.body.orderId, 'ReserveStock');
    return reply.body.orderId;
  }

  async function confirm(orderId: string): Promise<void> {
    await harness.messages.stockReserved(orderId);
    await harness.messages.waitFor(orderId, 'AuthorizePayment');
    await harness.messages.paymentAuthorized(orderId);
    await harness.messages.waitFor(orderId, 'CommitStock');
    await harness.messages.stockCommitted(orderId);
  }

  const statusEvents = (events: ServerSentEvent[]) => events.filter((event) => event.event === 'status');

  it('when the order is followed to its end, then the stream sends the current status, each change, and closes after the final one', async () => {
    const orderId = await anOrder();
    const stream = await harness.users.alice.events(orderId);
    expect(stream.response.status).toBe(200);
    expect(stream.response.headers.get('content-type')).toMatch(/^text\/event-stream/);
    expect(stream.response.headers.get('cache-control')).toContain('no-cache');
    expect(stream.response.headers.get('x-accel-buffering')).toBe('no');

    await confirm(orderId);
    await stream.ended;
    const order = (await harness.users.alice.order(orderId)).body;
    expect(statusEvents(stream.events)).toEqual([
      { id: '0', event: 'status', data: { orderId, status: 'PENDING', at: order.history[0].at } },
      { id: '1', event: 'status', data: { orderId, status: 'CONFIRMED', at: order.history[1].at } },
    ]);
  });

  it('when the order is already cancelled, then the stream sends that final status with its reason and closes', async () => {
    const orderId = await anOrder();
    await harness.messages.stockRejected(orderId);
    await harness.messages.waitFor(orderId, 'OrderCancelled');
    const stream = await harness.users.alice.events(orderId);
    await stream.ended;
    expect(statusEvents(stream.events)).toEqual([
      {
        id: '1',
        event: 'status',
        data: { orderId, status: 'CANCELLED', failureReason: 'OUT_OF_STOCK', at: expect.any(String) },
      },
    ]);
  });

  it('when a client reconnects with Last-Event-ID, then it gets only what it missed', async () => {
    const orderId = await anOrder();
    await confirm(orderId);
    await harness.messages.waitFor(orderId, 'OrderConfirmed');
    const stream = await harness.users.alice.events(orderId, { 'last-event-id': '0' });
    await stream.ended;
    expect(statusEvents(stream.events).map((event) => event.id)).toEqual(['1']);
  });

  it('when the order stays pending, then heartbeat comments keep the stream alive until the client leaves', async () => {
    const orderId = await anOrder();
    const stream = await harness.users.alice.events(orderId);
    while (!stream.events.some((event) => event.comment === 'heartbeat'))
      await new Promise((resolve) => setTimeout(resolve, 10));
    expect(statusEvents(stream.events)).toHaveLength(1);
    stream.close();
    await stream.ended;
  });

  it('when another user asks for the stream, then 404; an admin gets it', async () => {
    const orderId = await anOrder();
    const others = await harness.users.bob.events(orderId);
    expect(others.response.status).toBe(404);
    expect(others.response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    await others.response.body?.cancel();
    const admins = await harness.users.admin.events(orderId);
    expect(admins.response.status).toBe(200);
    admins.close();
    await admins.ended;
  });

  it('when no token is sent, then 401', async () => {
    const orderId = await anOrder();
    const stream = await harness.users.anonymous.events(orderId);
    expect(stream.response.status).toBe(401);
    await stream.response.body?.cancel();
  });
});

describe('an open event stream when the app shuts down (embedded)', () => {
  it('then the stream ends and the app closes', async () => {
    const harness = await startOrderHarness();
    const placed = await harness.users.alice.place(anOrderBody());
    const stream = await harness.users.alice.events(placed.body.orderId);
    expect(stream.response.status).toBe(200);
    await harness.closeApp();
    await stream.ended;
    expect(stream.events.filter((event) => event.event === 'status')).toHaveLength(1);
    await harness.close();
  });
});

describe('GET /api/orders/{orderId}/events with no periodic read (embedded)', () => {
  let harness: OrderHarness;
  beforeAll(async () => {
    // An hour between unasked reads: whatever the stream sends, it was told of by the saga.
    harness = await startOrderHarness({ ORDER_EVENTS_POLL_MS: '3600000' });
  });
  afterAll(() => harness.close());

  it('when the saga saves each step, then the stream is told and sends the change as it happens', async () => {
    const reply = await harness.users.alice.place(anOrderBody());
    const { orderId } = reply.body;
    await harness.messages.waitFor(orderId, 'ReserveStock');
    const stream = await harness.users.alice.events(orderId);
    await harness.messages.stockRejected(orderId);
    await stream.ended;
    expect(stream.events.filter((event) => event.event === 'status').map((event) => event.data)).toEqual([
      expect.objectContaining({ status: 'PENDING' }),
      expect.objectContaining({ status: 'CANCELLED', failureReason: 'OUT_OF_STOCK' }),
    ]);
  });
});

describe('GET /api/orders/{orderId}/events with a cap of 2 streams per user (embedded)', () => {
  let harness: OrderHarness;
  beforeAll(async () => {
    harness = await startOrderHarness({ ORDER_EVENTS_MAX_STREAMS_PER_USER: '2' });
  });
  afterAll(() => harness.close());

  it('when a user opens a third stream, then 429 problem+json with Retry-After; other users are not affected; once one ends, a new one opens', async () => {
    const placed = await harness.users.alice.place(anOrderBody());
    const { orderId } = placed.body;
    const first = await harness.users.alice.events(orderId);
    const second = await harness.users.alice.events(orderId);
    expect([first.response.status, second.response.status]).toEqual([200, 200]);

    const third = await harness.users.alice.events(orderId);
    expect(third.response.status).toBe(429);
    expect(third.response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(Number(third.response.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await third.response.json()).toMatchObject({ status: 429, type: '/problems/too-many-streams' });

    const admins = await harness.users.admin.events(orderId);
    expect(admins.response.status).toBe(200);

    first.close();
    await first.ended;
    // The server hears of the hang-up on its own time: wait for the slot, bounded by the test's timeout.
    let reopened = await harness.users.alice.events(orderId);
    while (reopened.response.status === 429) {
      await reopened.response.body?.cancel();
      await new Promise((resolve) => setTimeout(resolve, 20));
      reopened = await harness.users.alice.events(orderId);
    }
    expect(reopened.response.status).toBe(200);
    for (const stream of [second, reopened, admins]) stream.close();
    await Promise.all([second.ended, reopened.ended, admins.ended]);
  });
});
