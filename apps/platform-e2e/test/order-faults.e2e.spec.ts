import { randomUUID } from 'node:crypto';
import { request } from 'undici';
import {
  CommitStock,
  OrderConfirmed,
  PaymentAuthorized,
  PaymentFailed,
  RefundPayment,
  topics,
} from '@platform/contracts';
import { eventually } from '@platform/testing';
import type { Customer } from './api-client';
import type { ServiceName } from './platform';
import { usePlatform } from './platform-suite';
import type { StockedProduct } from './shop';

/**
 * The order saga under injected failures, the whole platform running as processes: the order
 * service or inventory killed mid-saga, a reply delivered twice, the payment provider slow, down,
 * or slow on purpose (tok_slow), and a rush on the last units. After each, the invariants of
 * docs/events.md#invariants are checked from the services' stores and APIs. Deadlines are short so
 * the suite is quick; nothing asserts how long anything took.
 */
jest.setTimeout(240_000);

const line = (product: StockedProduct, quantity = 1) => ({ sku: product.sku, quantity });
const nonEmpty = <T>(items: T[]) => (items.length > 0 ? items : undefined);

describe('the order saga under failures', () => {
  describe('with deadlines long enough to outlive a restart', () => {
    const suite = usePlatform({
      // Long enough that a restarted order service finds the payment step still open.
      order: { ORDER_PAYMENT_TIMEOUT_MS: '60000' },
      // A charge held at the gate must not time out meanwhile.
      payment: { PROVIDER_TIMEOUT_MS: '10000' },
    });

    /**
     * Places an order of 2 units and SIGKILLs `service` while the charge is held at the provider's
     * gate, so the saga is provably in its payment step when the service dies; then lets the charge go.
     */
    async function placeAndKillWhilePaying(service: ServiceName, product: StockedProduct): Promise<string> {
      const { shop, platform } = suite;
      const customer = await shop.newCustomer();
      platform.providerGate.close();
      try {
        const orderId = await shop.acceptedOrder(customer, [line(product, 2)]);
        await eventually(async () => (platform.providerGate.held > 0 ? true : undefined), 60_000, 20);
        await platform.kill(service);
        return orderId;
      } finally {
        platform.providerGate.open();
      }
    }

    it('when the order service is killed (SIGKILL) while a saga waits for its payment, then once restarted the saga finishes: CONFIRMED, charged once', async () => {
      const { shop, platform, wire, provider } = suite;
      const product = await shop.stockedProduct(5);
      const orderId = await placeAndKillWhilePaying('order', product);
      // The payment's reply is published while nobody is there to consume it.
      await eventually(async () => nonEmpty(wire.eventsOf(PaymentAuthorized, orderId)), 60_000, 100);

      await platform.restart('order');

      const order = await shop.finalOrder(orderId);
      expect(order.status).toBe('CONFIRMED');
      expect((await provider.chargesOf(orderId)).filter((charge) => !charge.refunded)).toHaveLength(1);
      await suite.invariants.check();
    });

    it('when inventory is killed (SIGKILL) once the order is being paid, then past the commit deadline CommitStock is sent again rather than the paid order cancelled, and once inventory is back the order is CONFIRMED: stock sold, charged once, nothing refunded', async () => {
      const { shop, platform, wire, provider } = suite;
      const product = await shop.stockedProduct(5);
      // The stock is reserved and its commit not sent yet when inventory dies.
      const orderId = await placeAndKillWhilePaying('inventory', product);
      // Nobody answers the commit by its deadline: the command goes out again, the order stays PENDING.
      await eventually(
        async () => (wire.eventsOf(CommitStock, orderId).length >= 2 ? true : undefined),
        120_000,
        250,
      );
      expect((await shop.order(orderId)).body.status).toBe('PENDING');
      expect(wire.eventsOf(RefundPayment, orderId)).toEqual([]);

      await platform.restart('inventory');

      expect((await shop.finalOrder(orderId, 120_000)).status).toBe('CONFIRMED');
      expect((await provider.chargesOf(orderId)).map((charge) => charge.refunded)).toEqual([false]);
      await suite.invariants.check();
      expect(await suite.invariants.stockOf(product.sku)).toMatchObject({
        available: 3,
        reserved: 0,
        sold: 2,
      });
    });

    it('when PaymentAuthorized of a confirmed order is delivered again, with its ce_id and with a new one, then nothing changes: one charge, one CommitStock, one outcome', async () => {
      const { shop, wire, provider } = suite;
      const product = await shop.stockedProduct(5);
      const customer = await shop.newCustomer();
      const orderId = await shop.acceptedOrder(customer, [line(product)]);
      expect((await shop.finalOrder(orderId)).status).toBe('CONFIRMED');
      await suite.invariants.settled();
      const authorizations = wire.eventsOf(PaymentAuthorized, orderId);
      expect(authorizations).toHaveLength(1);
      const { data, headers } = authorizations[0] ?? { data: {}, headers: {} };
      const before = (await shop.order(orderId)).body;

      await wire.publishRaw(topics.paymentsEvents, orderId, JSON.stringify(data), headers);
      await wire.publishRaw(topics.paymentsEvents, orderId, JSON.stringify(data), {
        ...headers,
        ce_id: randomUUID(),
      });
      await suite.invariants.settled();

      expect(wire.eventsOf(PaymentAuthorized, orderId)).toHaveLength(3);
      expect((await shop.order(orderId)).body).toEqual(before);
      expect(wire.eventsOf(CommitStock, orderId)).toHaveLength(1);
      expect(wire.eventsOf(OrderConfirmed, orderId)).toHaveLength(1);
      expect(wire.eventsOf(RefundPayment, orderId)).toEqual([]);
      expect((await provider.chargesOf(orderId)).map((charge) => charge.refunded)).toEqual([false]);
      await suite.invariants.check();
    });

    it('when 12 customers order the last 5 units at once, then exactly 5 orders are CONFIRMED and 7 CANCELLED(OUT_OF_STOCK), and nothing is oversold', async () => {
      const { shop } = suite;
      const product = await shop.stockedProduct(5);
      const customers = await Promise.all(Array.from({ length: 12 }, () => shop.newCustomer()));

      const orderIds = await Promise.all(
        customers.map((customer) => shop.acceptedOrder(customer, [line(product)])),
      );
      const finals = await Promise.all(orderIds.map((orderId) => shop.finalOrder(orderId)));

      const outcomes = finals.map(
        (order) => `${order.status}${order.failureReason ? `(${order.failureReason})` : ''}`,
      );
      expect(outcomes.filter((outcome) => outcome === 'CONFIRMED')).toHaveLength(5);
      expect(outcomes.filter((outcome) => outcome === 'CANCELLED(OUT_OF_STOCK)')).toHaveLength(7);
      await suite.invariants.check();
      expect(await suite.invariants.stockOf(product.sku)).toEqual({
        available: 0,
        reserved: 0,
        sold: 5,
        initial: 5,
        restocked: 0,
      });
    });
  });

  describe('with a payment provider that is slow or down', () => {
    const suite = usePlatform({
      'payment-provider-sim': { SLOW_TOKEN_DELAY_MS: '6000' },
      payment: {
        PROVIDER_TIMEOUT_MS: '1000',
        PROVIDER_BREAKER_VOLUME_THRESHOLD: '2',
        PROVIDER_BREAKER_RESET_MS: '10000',
        PAYMENT_RECONCILE_INTERVAL_MS: '500',
      },
      order: { ORDER_PAYMENT_TIMEOUT_MS: '3000', ORDER_COMPENSATION_TIMEOUT_MS: '2000' },
    });

    /** Places orders until one is CONFIRMED: the provider and the breaker in front of it have recovered. */
    const confirmedAgain = (customer: Customer, product: StockedProduct) =>
      eventually(
        async () => {
          const order = await suite.shop.finalOrder(
            await suite.shop.acceptedOrder(customer, [line(product)]),
          );
          return order.status === 'CONFIRMED' ? order : undefined;
        },
        120_000,
        500,
      );

    /** The payment service's breaker in front of the provider, as its /metrics report it. */
    async function providerCircuit(): Promise<string> {
      const answer = await request(`${suite.platform.process('payment').baseUrl}/metrics`);
      const text = await answer.body.text();
      const state = /^resilience_circuit_state\{[^}]*name="payment-provider"[^}]*\} (\d)/m.exec(text)?.[1];
      return (
        ({ '0': 'closed', '1': 'half-open', '2': 'open' } as Record<string, string>)[state ?? ''] ?? 'unknown'
      );
    }

    async function stockReleased(product: StockedProduct) {
      await eventually(async () => {
        const stock = await suite.invariants.stockOf(product.sku);
        return stock?.reserved === 0 ? stock : undefined;
      });
    }

    it('when the card answers only after the payment deadline (tok_slow), then the order is CANCELLED(TIMEOUT), its stock restored, and the charge that lands later is refunded', async () => {
      const { shop, provider } = suite;
      const product = await shop.stockedProduct(5);
      const customer = await shop.newCustomer();

      const orderId = await shop.acceptedOrder(customer, [line(product, 2)], 'tok_slow');

      expect(await shop.finalOrder(orderId)).toMatchObject({ status: 'CANCELLED', failureReason: 'TIMEOUT' });
      await stockReleased(product);
      expect(await suite.invariants.stockOf(product.sku)).toMatchObject({ available: 5, sold: 0 });
      const [late] = await eventually(async () => nonEmpty(await provider.chargesOf(orderId)), 60_000, 250);
      expect(late).toMatchObject({ status: 'succeeded' });
      await eventually(
        async () => ((await provider.chargesOf(orderId))[0]?.refunded ? true : undefined),
        60_000,
        250,
      );
      await suite.invariants.check();
    });

    it('when the provider is down, then orders end CANCELLED(PAYMENT_UNAVAILABLE) uncharged with their stock released, and once it is back orders are CONFIRMED again', async () => {
      const { shop, provider } = suite;
      const product = await shop.stockedProduct(20);
      const customer = await shop.newCustomer();
      let orderId = '';
      await provider.setFaults({ outage: true });
      try {
        orderId = await shop.acceptedOrder(customer, [line(product, 2)]);
        expect(await shop.finalOrder(orderId)).toMatchObject({
          status: 'CANCELLED',
          failureReason: 'PAYMENT_UNAVAILABLE',
        });
        await stockReleased(product);
      } finally {
        await provider.clearFaults();
      }
      expect(await provider.chargesOf(orderId)).toEqual([]);

      await confirmedAgain(customer, product);
      await suite.invariants.check();
    });

    it('when the provider answers slower than the payment timeout, then the breaker opens, later orders fail fast CANCELLED(PAYMENT_UNAVAILABLE) with stock released, and after recovery orders are CONFIRMED', async () => {
      const { shop, provider, wire } = suite;
      const product = await shop.stockedProduct(50);
      const customer = await shop.newCustomer();
      let failedFast = '';
      await provider.setFaults({ latencyMs: 1500 });
      try {
        // Two calls time out: the breaker's volume threshold, all of them failures.
        const slow = await Promise.all([1, 2].map(() => shop.acceptedOrder(customer, [line(product)])));
        await Promise.all(slow.map((orderId) => shop.finalOrder(orderId)));
        await eventually(async () => ((await providerCircuit()) === 'open' ? true : undefined), 60_000, 100);

        failedFast = await shop.acceptedOrder(customer, [line(product)]);

        expect(await shop.finalOrder(failedFast)).toMatchObject({
          status: 'CANCELLED',
          failureReason: 'PAYMENT_UNAVAILABLE',
        });
        const [failure] = await eventually(async () => nonEmpty(wire.eventsOf(PaymentFailed, failedFast)));
        expect(failure?.data).toMatchObject({ reason: 'PROVIDER_UNAVAILABLE' });
        await stockReleased(product);
      } finally {
        await provider.clearFaults();
      }
      // Refused by the open breaker, the charge never reached the provider.
      expect(await provider.chargesOf(failedFast)).toEqual([]);

      await confirmedAgain(customer, product);
      await suite.invariants.check();
    });
  });
});
