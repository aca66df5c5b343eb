import { randomUUID } from 'node:crypto';
import { eventually, fetchJaegerTrace, servicesOf } from '@platform/testing';
import type { ApiAnswer, Customer } from './api-client';
import { jaegerQueryUrl } from './connection';
import { openEventStream } from './event-stream';
import { usePlatform } from './platform-suite';
import type { StockedProduct } from './shop';

/**
 * The rows of docs/api.md#orders and docs/api.md#payments, through the gateway with a real HTTP
 * client, against the whole platform running as processes on the real infrastructure; each saga
 * outcome followed to its end in the order, the stock, the provider's charges, the notifications
 * and the trace in Jaeger.
 * The invariants of docs/events.md#invariants are checked over everything this suite ordered, last.
 */
jest.setTimeout(120_000);

const isoInstant = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;
const problemJson = /^application\/problem\+json/;

describe('orders and payments through the gateway', () => {
  const suite = usePlatform({
    // A charge a test holds at the gate must not time out meanwhile.
    payment: { PROVIDER_TIMEOUT_MS: '10000' },
    order: { ORDER_PAYMENT_TIMEOUT_MS: '30000' },
  });
  const shop = () => suite.shop;
  const api = () => suite.shop.api;
  const line = (product: StockedProduct, quantity = 1) => ({ sku: product.sku, quantity });

  async function ordersOf(customer: Customer, query = '') {
    const answer = await api().call('GET', `/api/orders${query}`, { token: customer.token });
    expect(answer.status).toBe(200);
    return answer.body as { items: { orderId: string; status: string }[]; nextCursor: string | null };
  }

  async function notificationsAbout(customer: Customer, orderId: string) {
    const answer = await shop().notificationsOf(customer);
    expect(answer.status).toBe(200);
    return (answer.body.items as { type: string; orderId: string | null }[]).filter(
      (item) => item.orderId === orderId,
    );
  }

  const oneNotificationAbout = (customer: Customer, orderId: string) =>
    eventually(
      async () => {
        const found = await notificationsAbout(customer, orderId);
        return found.length > 0 ? found : undefined;
      },
      60_000,
      200,
    );

  describe('POST /api/orders', () => {
    it('when a customer orders products in stock, then 202 with Location and the PENDING order priced from the catalogue', async () => {
      const tea = await shop().stockedProduct(10, 1250);
      const mug = await shop().stockedProduct(10, 399);
      const customer = await shop().newCustomer();

      const answer = await shop().placeOrder(customer, [line(tea, 2), line(mug)]);

      expect(answer.status).toBe(202);
      expect(answer.headers['location']).toBe(`/api/orders/${answer.body.orderId}`);
      expect(answer.headers['x-trace-id']).toMatch(/^[0-9a-f]{32}$/);
      expect(answer.headers['idempotent-replayed']).toBeUndefined();
      expect(answer.body).toEqual({
        orderId: expect.any(String),
        status: 'PENDING',
        items: [
          { sku: tea.sku, quantity: 2, unitPriceCents: 1250 },
          { sku: mug.sku, quantity: 1, unitPriceCents: 399 },
        ],
        totalCents: 2899,
        currency: 'EUR',
        createdAt: expect.stringMatching(isoInstant),
      });
    });

    describe('when the request is refused', () => {
      const valid = (product: StockedProduct) => ({ items: [line(product)], paymentMethod: 'tok_visa' });
      const refusals: [string, (product: StockedProduct) => { body: unknown; withoutKey?: boolean }][] = [
        [
          'an unknown sku',
          (product) => ({
            body: { ...valid(product), items: [{ sku: `NO-SUCH-${randomUUID()}`, quantity: 1 }] },
          }),
        ],
        ['a quantity of 0', (product) => ({ body: { ...valid(product), items: [line(product, 0)] } })],
        ['a quantity of 101', (product) => ({ body: { ...valid(product), items: [line(product, 101)] } })],
        ['no items', (product) => ({ body: { ...valid(product), items: [] } })],
        [
          'an unknown payment token',
          (product) => ({ body: { ...valid(product), paymentMethod: 'tok_unknown' } }),
        ],
        ['an unknown field', (product) => ({ body: { ...valid(product), coupon: 'FREE' } })],
        ['no Idempotency-Key', (product) => ({ body: valid(product), withoutKey: true })],
      ];

      it.each(refusals)('with %s, then 400 problem+json and nothing is created', async (_case, refused) => {
        const product = await shop().stockedProduct(10);
        const customer = await shop().newCustomer();
        const { body, withoutKey } = refused(product);
        const key = randomUUID();

        const answer = await shop().placeOrder(customer, [], {
          body,
          idempotencyKey: withoutKey ? null : key,
        });

        expect(answer.status).toBe(400);
        expect(answer.headers['content-type']).toMatch(problemJson);
        expect(answer.body).toMatchObject({
          type: expect.any(String),
          title: expect.any(String),
          status: 400,
          traceId: answer.headers['x-trace-id'],
        });
        expect((await ordersOf(customer)).items).toEqual([]);
        expect(await suite.invariants.stockOf(product.sku)).toMatchObject({ available: 10, reserved: 0 });
        if (!withoutKey) {
          // The refused request stored nothing under its key: the corrected one is a first request.
          const corrected = await shop().placeOrder(customer, [line(product)], { idempotencyKey: key });
          expect(corrected.status).toBe(202);
          expect(corrected.headers['idempotent-replayed']).toBeUndefined();
        }
      });
    });
  });

  describe('Idempotency-Key', () => {
    let product: StockedProduct;
    beforeAll(async () => {
      product = await shop().stockedProduct(50);
    });

    it('when the same request is sent again with its key, then the first response is replayed, marked, and there is one order', async () => {
      const customer = await shop().newCustomer();
      const key = randomUUID();
      const first = await shop().placeOrder(customer, [line(product, 2)], { idempotencyKey: key });
      const again = await shop().placeOrder(customer, [line(product, 2)], { idempotencyKey: key });

      expect(first.status).toBe(202);
      expect(again.status).toBe(202);
      expect(again.headers['idempotent-replayed']).toBe('true');
      expect(again.headers['location']).toBe(first.headers['location']);
      expect(again.body).toEqual(first.body);
      expect((await ordersOf(customer)).items.map((order) => order.orderId)).toEqual([first.body.orderId]);
    });

    it('when the same key comes with another body, then 422 and no second order', async () => {
      const customer = await shop().newCustomer();
      const key = randomUUID();
      const first = await shop().placeOrder(customer, [line(product, 1)], { idempotencyKey: key });
      const other = await shop().placeOrder(customer, [line(product, 3)], { idempotencyKey: key });

      expect(first.status).toBe(202);
      expect(other.status).toBe(422);
      expect(other.headers['content-type']).toMatch(problemJson);
      expect((await ordersOf(customer)).items.map((order) => order.orderId)).toEqual([first.body.orderId]);
    });

    it('when the same key comes while the first request is still in flight, then 409, and the first one completes alone', async () => {
      const customer = await shop().newCustomer();
      const key = randomUUID();
      const { inventoryGate } = suite.platform;
      // The first request is held at its price look-up: provably in flight until the gate opens.
      inventoryGate.close();
      let first: Promise<ApiAnswer> | undefined;
      try {
        first = shop().placeOrder(customer, [line(product)], { idempotencyKey: key });
        await eventually(async () => (inventoryGate.held > 0 ? true : undefined), 30_000, 20);

        const concurrent = await shop().placeOrder(customer, [line(product)], { idempotencyKey: key });

        expect(concurrent.status).toBe(409);
        expect(concurrent.headers['content-type']).toMatch(problemJson);
      } finally {
        inventoryGate.open();
      }
      const completed = await first;
      expect(completed?.status).toBe(202);
      expect((await ordersOf(customer)).items.map((order) => order.orderId)).toEqual([
        completed?.body.orderId,
      ]);
    });

    it('when another customer sends the same key, then their request is independent', async () => {
      const [ada, grace] = [await shop().newCustomer(), await shop().newCustomer()];
      const key = randomUUID();
      const first = await shop().placeOrder(ada, [line(product)], { idempotencyKey: key });
      const second = await shop().placeOrder(grace, [line(product)], { idempotencyKey: key });

      expect(first.status).toBe(202);
      expect(second.status).toBe(202);
      expect(second.headers['idempotent-replayed']).toBeUndefined();
      expect(second.body.orderId).not.toBe(first.body.orderId);
      expect((await ordersOf(grace)).items.map((order) => order.orderId)).toEqual([second.body.orderId]);
    });
  });

  describe('GET /api/orders/{orderId}', () => {
    let owner: Customer;
    let product: StockedProduct;
    let orderId: string;
    beforeAll(async () => {
      product = await shop().stockedProduct(10, 700);
      owner = await shop().newCustomer();
      orderId = await shop().acceptedOrder(owner, [line(product, 3)]);
      await shop().finalOrder(orderId);
    });

    it('when its owner reads it, then 200 with its items, outcome, payment and history', async () => {
      const answer = await api().call('GET', `/api/orders/${orderId}`, { token: owner.token });

      expect(answer.status).toBe(200);
      expect(answer.body).toEqual({
        orderId,
        status: 'CONFIRMED',
        items: [{ sku: product.sku, quantity: 3, unitPriceCents: 700 }],
        totalCents: 2100,
        currency: 'EUR',
        paymentId: expect.any(String),
        createdAt: expect.stringMatching(isoInstant),
        updatedAt: expect.stringMatching(isoInstant),
        history: [
          { status: 'PENDING', at: expect.stringMatching(isoInstant) },
          { status: 'CONFIRMED', at: expect.stringMatching(isoInstant) },
        ],
      });
    });

    it('when an admin reads it, then 200 with the same order', async () => {
      const asOwner = await api().call('GET', `/api/orders/${orderId}`, { token: owner.token });
      const asAdmin = await api().call('GET', `/api/orders/${orderId}`, { token: await shop().admin() });

      expect(asAdmin.status).toBe(200);
      expect(asAdmin.body).toEqual(asOwner.body);
    });

    it('when another customer reads it, then 404, just as for an order that does not exist', async () => {
      const stranger = await shop().newCustomer();
      const theirs = await api().call('GET', `/api/orders/${orderId}`, { token: stranger.token });
      const none = await api().call('GET', `/api/orders/${randomUUID()}`, { token: stranger.token });

      expect(theirs.status).toBe(404);
      expect(theirs.headers['content-type']).toMatch(problemJson);
      expect(none.status).toBe(404);
      expect({ ...theirs.body, instance: undefined, traceId: undefined }).toEqual({
        ...none.body,
        instance: undefined,
        traceId: undefined,
      });
    });

    it('when nobody is logged in, then 401 with WWW-Authenticate: Bearer', async () => {
      const answer = await api().call('GET', `/api/orders/${orderId}`);

      expect(answer.status).toBe(401);
      expect(answer.headers['www-authenticate']).toMatch(/^Bearer/);
      expect(answer.headers['content-type']).toMatch(problemJson);
    });
  });

  describe('GET /api/orders', () => {
    it("when a customer has placed three orders, then they are listed newest first, a page at a time, and no one else's", async () => {
      const product = await shop().stockedProduct(20);
      const customer = await shop().newCustomer();
      const other = await shop().newCustomer();
      const placed: string[] = [];
      for (let count = 0; count < 3; count += 1)
        placed.push(await shop().acceptedOrder(customer, [line(product)]));
      await shop().acceptedOrder(other, [line(product)]);

      const first = await ordersOf(customer, '?limit=2');
      expect(first.items.map((order) => order.orderId)).toEqual([placed[2], placed[1]]);
      expect(first.nextCursor).toEqual(expect.any(String));
      const second = await ordersOf(
        customer,
        `?limit=2&cursor=${encodeURIComponent(String(first.nextCursor))}`,
      );
      expect(second.items.map((order) => order.orderId)).toEqual([placed[0]]);
      expect(second.nextCursor).toBeNull();
      expect((await ordersOf(customer)).items.map((order) => order.orderId)).toEqual([...placed].reverse());
    });
  });

  describe('GET /api/orders/{orderId}/events', () => {
    it('when the customer follows an order, then one event arrives per status change and the stream closes at the final status', async () => {
      const product = await shop().stockedProduct(10);
      const customer = await shop().newCustomer();
      const { providerGate } = suite.platform;
      // The charge is held at the gate: the order stays PENDING until the stream is surely open.
      providerGate.close();
      let stream: Awaited<ReturnType<typeof openEventStream>>;
      let orderId: string;
      try {
        orderId = await shop().acceptedOrder(customer, [line(product)]);
        stream = await openEventStream(`${api().baseUrl}/api/orders/${orderId}/events`, customer.token);
        expect(stream.status).toBe(200);
        expect(stream.contentType).toMatch(/^text\/event-stream/);
        await eventually(async () => (stream.events.length > 0 ? true : undefined), 30_000, 20);
      } finally {
        providerGate.open();
      }

      expect(await stream.ended).toBe(true);
      const statuses = stream.events.map(
        (event) => JSON.parse(event.data) as { orderId: string; status: string },
      );
      expect(statuses).toEqual([
        expect.objectContaining({ orderId, status: 'PENDING' }),
        expect.objectContaining({ orderId, status: 'CONFIRMED' }),
      ]);
      const order = await shop().order(orderId);
      expect(order.body.history.map((change: { status: string }) => change.status)).toEqual([
        'PENDING',
        'CONFIRMED',
      ]);
    });

    it("when another customer asks for an order's events, then 404, and without a token 401", async () => {
      const product = await shop().stockedProduct(10);
      const owner = await shop().newCustomer();
      const stranger = await shop().newCustomer();
      const orderId = await shop().acceptedOrder(owner, [line(product)]);

      const theirs = await openEventStream(`${api().baseUrl}/api/orders/${orderId}/events`, stranger.token);
      const anonymous = await openEventStream(`${api().baseUrl}/api/orders/${orderId}/events`, undefined);

      expect(theirs.status).toBe(404);
      expect(theirs.contentType).toMatch(problemJson);
      expect(anonymous.status).toBe(401);
    });
  });

  describe('GET /api/payments?orderId=', () => {
    let owner: Customer;
    let confirmed: { orderId: string; totalCents: number; paymentId: string };
    let unpaidOrderId: string;
    beforeAll(async () => {
      const product = await shop().stockedProduct(2, 999);
      owner = await shop().newCustomer();
      confirmed = await shop().finalOrder(await shop().acceptedOrder(owner, [line(product, 2)]));
      // Nothing left: this one never reaches the payment step.
      unpaidOrderId = await shop().acceptedOrder(owner, [line(product, 1)]);
      await shop().finalOrder(unpaidOrderId);
    });

    const paymentOf = (orderId: string, token?: string) =>
      api().call('GET', `/api/payments?orderId=${orderId}`, token ? { token } : {});

    it("when the owner asks for a confirmed order's payment, then 200 AUTHORIZED for the order's total", async () => {
      const answer = await paymentOf(confirmed.orderId, owner.token);

      expect(answer.status).toBe(200);
      expect(answer.body).toEqual({
        paymentId: confirmed.paymentId,
        orderId: confirmed.orderId,
        status: 'AUTHORIZED',
        amountCents: confirmed.totalCents,
        currency: 'EUR',
        createdAt: expect.stringMatching(isoInstant),
      });
    });

    it('when an admin asks, then 200 with the same payment', async () => {
      const asOwner = await paymentOf(confirmed.orderId, owner.token);
      const asAdmin = await paymentOf(confirmed.orderId, await shop().admin());

      expect(asAdmin.status).toBe(200);
      expect(asAdmin.body).toEqual(asOwner.body);
    });

    it('when another customer asks, then 404', async () => {
      const stranger = await shop().newCustomer();
      const answer = await paymentOf(confirmed.orderId, stranger.token);

      expect(answer.status).toBe(404);
      expect(answer.headers['content-type']).toMatch(problemJson);
    });

    it('when the order has no payment, then 404', async () => {
      const answer = await paymentOf(unpaidOrderId, owner.token);

      expect(answer.status).toBe(404);
      expect(answer.headers['content-type']).toMatch(problemJson);
    });

    it('when nobody is logged in, then 401', async () => {
      const answer = await paymentOf(confirmed.orderId);

      expect(answer.status).toBe(401);
      expect(answer.headers['www-authenticate']).toMatch(/^Bearer/);
    });
  });

  describe('the order saga', () => {
    it('when the card approves (tok_visa), then the order is CONFIRMED, the stock sold, and the customer notified once', async () => {
      const product = await shop().stockedProduct(5);
      const customer = await shop().newCustomer();
      const orderId = await shop().acceptedOrder(customer, [line(product, 2)], 'tok_visa');

      const order = await shop().finalOrder(orderId);

      expect(order.status).toBe('CONFIRMED');
      expect(order.failureReason).toBeUndefined();
      await eventually(async () => ((await shop().available(product.sku)) === 3 ? true : undefined));
      // StockCommitted leaves with the reservation's settlement, before the holds move: wait for the sale.
      await eventually(async () =>
        (await suite.invariants.stockOf(product.sku))?.sold === 2 ? true : undefined,
      );
      expect(await suite.invariants.stockOf(product.sku)).toEqual({
        available: 3,
        reserved: 0,
        sold: 2,
        initial: 5,
        restocked: 0,
      });
      const notices = await oneNotificationAbout(customer, orderId);
      expect(notices.map((notice) => notice.type)).toEqual(['ORDER_CONFIRMED']);
    });

    it('when the card is declined (tok_chargeDeclined), then the order is CANCELLED(PAYMENT_DECLINED), the stock restored, and the customer notified once', async () => {
      const product = await shop().stockedProduct(5);
      const customer = await shop().newCustomer();
      const orderId = await shop().acceptedOrder(customer, [line(product, 2)], 'tok_chargeDeclined');

      const order = await shop().finalOrder(orderId);

      expect(order).toMatchObject({ status: 'CANCELLED', failureReason: 'PAYMENT_DECLINED' });
      expect(order.paymentId).toBeUndefined();
      await eventually(async () => {
        const stock = await suite.invariants.stockOf(product.sku);
        return stock?.reserved === 0 ? stock : undefined;
      });
      expect(await suite.invariants.stockOf(product.sku)).toMatchObject({
        available: 5,
        reserved: 0,
        sold: 0,
      });
      expect(await shop().available(product.sku)).toBe(5);
      const payment = await api().call('GET', `/api/payments?orderId=${orderId}`, { token: customer.token });
      expect(payment.body).toMatchObject({ orderId, status: 'DECLINED' });
      const notices = await oneNotificationAbout(customer, orderId);
      expect(notices.map((notice) => notice.type)).toEqual(['ORDER_CANCELLED']);
    });

    it('when more is ordered than is in stock, then the order is CANCELLED(OUT_OF_STOCK), nothing is charged or moved, and the customer notified once', async () => {
      const product = await shop().stockedProduct(3);
      const customer = await shop().newCustomer();
      const orderId = await shop().acceptedOrder(customer, [line(product, 4)]);

      const order = await shop().finalOrder(orderId);

      expect(order).toMatchObject({ status: 'CANCELLED', failureReason: 'OUT_OF_STOCK' });
      expect(await suite.invariants.stockOf(product.sku)).toMatchObject({
        available: 3,
        reserved: 0,
        sold: 0,
      });
      expect(await suite.provider.chargesOf(orderId)).toEqual([]);
      const notices = await oneNotificationAbout(customer, orderId);
      expect(notices.map((notice) => notice.type)).toEqual(['ORDER_CANCELLED']);
    });
  });

  it("when a confirmed order's POST is looked up in Jaeger by its X-Trace-Id, then the trace spans every service the saga crossed, Kafka hops included", async () => {
    const product = await shop().stockedProduct(5);
    const customer = await shop().newCustomer();
    const placed = await shop().placeOrder(customer, [line(product)]);
    expect(placed.status).toBe(202);
    const traceId = String(placed.headers['x-trace-id']);
    await shop().finalOrder(placed.body.orderId);
    await oneNotificationAbout(customer, placed.body.orderId);

    const expected = ['gateway', 'order', 'inventory', 'payment', 'payment-provider-sim', 'notification'];
    const trace = await eventually(
      async () => {
        const found = await fetchJaegerTrace(jaegerQueryUrl, traceId);
        return found && expected.every((service) => servicesOf(found).includes(service)) ? found : undefined;
      },
      90_000,
      500,
    ).catch(async (error: unknown) => {
      const found = await fetchJaegerTrace(jaegerQueryUrl, traceId);
      throw new Error(
        `${String(error)}; the trace has ${JSON.stringify([...new Set(found && servicesOf(found))])}`,
      );
    });
    const kinds = trace.spans.map((span) => span.tags.find((tag) => tag.key === 'span.kind')?.value);
    expect(kinds).toContain('producer');
    expect(kinds).toContain('consumer');
  });

  it('when every order of this suite has ended, then the invariants hold', async () => {
    await suite.invariants.check();
  });
});
