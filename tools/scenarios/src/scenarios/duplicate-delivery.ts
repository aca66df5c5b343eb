import { adminCredentials } from '../gateway-client.ts';
import type { Scenario } from '../scenario.ts';

const paymentAuthorized = 'platform.payments.payment-authorized.v1';
const reserveStock = 'platform.inventory.reserve-stock.v1';

export const duplicateDelivery: Scenario = {
  name: 'duplicate-delivery',
  pattern: 'idempotent consumer (inbox)',
  page: 'docs/patterns/idempotent-consumer.md',
  summary: 'delivers an order’s messages again (at-least-once): each is handled, none has a second effect',
  needs: 'kafka',
  async run(gateway, report, { kafka }) {
    if (!kafka) throw new Error('needs Kafka');
    // A product of its own: no other order changes its stock while the scenario watches it.
    const admin = await gateway.signedIn(adminCredentials.email, adminCredentials.password);
    const created = await admin.addProduct('DUP', 'Delivered twice', 10);
    const { sku } = created;
    report.did(`admin adds ${sku} with 10 units: HTTP ${created.status}`, created.traceId);
    const customer = await gateway.newCustomer();
    const placed = await customer.placeOrder(sku, 1, 'tok_visa');
    const orderId = placed.body.orderId;
    const final = await customer.finalStatusOf(orderId);
    report.did(`order ${orderId}: ${final.status}`, placed.traceId);
    const before = await customer.call<{ history: unknown[] }>('GET', `/api/orders/${orderId}`);
    const available = (await gateway.call<{ available: number }>('GET', `/api/products/${sku}`)).body
      .available;
    const handledOf = async (type: string, service: string) =>
      (await customer.traceOf(placed.traceId, () => true)).filter(
        (span) => span.service === service && span.name === `process ${type}`,
      ).length;
    const replies = await handledOf(paymentAuthorized, 'order');
    const reservations = await handledOf(reserveStock, 'inventory');

    const authorized = await kafka.find(
      'payments.events.v1',
      (record) => record.key === orderId && record.headers['ce_type'] === paymentAuthorized,
    );
    const reserve = await kafka.find(
      'inventory.commands.v1',
      (record) => record.key === orderId && record.headers['ce_type'] === reserveStock,
    );
    await kafka.republish(authorized);
    await kafka.republish(authorized);
    await kafka.republish(reserve);
    report.did(
      `published again, unchanged: PaymentAuthorized twice (ce_id ${authorized.headers['ce_id']}) and ReserveStock once (ce_id ${reserve.headers['ce_id']})`,
    );
    // The records keep their traceparent, so their consumers' spans join the order's trace: that is
    // how the scenario knows they were delivered and handled.
    await customer.traceOf(
      placed.traceId,
      (spans) => {
        const count = (type: string, service: string) =>
          spans.filter((span) => span.service === service && span.name === `process ${type}`).length;
        return (
          count(paymentAuthorized, 'order') >= replies + 2 &&
          count(reserveStock, 'inventory') >= reservations + 1
        );
      },
      60_000,
    );
    report.saw(
      'the order service handled the reply twice more and inventory the command once more (their spans are in the trace)',
    );

    const after = await customer.call<{ status: string; history: unknown[] }>(
      'GET',
      `/api/orders/${orderId}`,
    );
    report.check(
      after.body.status === final.status && after.body.history.length === before.body.history.length,
      `the order is still ${final.status}, with no new status change`,
    );
    const availableAfter = (await gateway.call<{ available: number }>('GET', `/api/products/${sku}`)).body
      .available;
    report.check(
      availableAfter === available,
      `no stock reserved twice: ${sku} available ${available} before, ${availableAfter} after`,
    );
    const payment = await customer.call<{ status: string }>('GET', `/api/payments?orderId=${orderId}`);
    report.check(payment.body.status === 'AUTHORIZED', `one payment, still ${payment.body.status}`);
    const notices = await customer.call<{ items: { orderId: string | null; type: string }[] }>(
      'GET',
      '/api/notifications',
    );
    const confirmations = notices.body.items.filter((notice) => notice.orderId === orderId).length;
    report.check(confirmations === 1, `one notification for the order (${confirmations})`);
  },
};
