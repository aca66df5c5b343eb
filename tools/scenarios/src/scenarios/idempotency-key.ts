import { randomUUID } from 'node:crypto';
import type { Scenario } from '../scenario.ts';

export const idempotencyKey: Scenario = {
  name: 'idempotency-key',
  pattern: 'Idempotency-Key',
  page: 'docs/patterns/idempotency-key.md',
  summary: 'replays a key: a retried POST makes no second order, a reused key with another body is refused',
  async run(gateway, report) {
    const customer = await gateway.newCustomer();
    const key = randomUUID();
    const first = await customer.placeOrder('TEA-GREEN', 1, 'tok_visa', key);
    report.did(
      `POST /api/orders with Idempotency-Key ${key}: HTTP ${first.status}, order ${first.body.orderId}`,
      first.traceId,
    );
    const again = await customer.placeOrder('TEA-GREEN', 1, 'tok_visa', key);
    report.did(
      `the same request again (a client retrying after a lost answer): HTTP ${again.status}, ` +
        `Idempotent-Replayed: ${again.headers.get('idempotent-replayed')}`,
      again.traceId,
    );
    report.check(
      again.body.orderId === first.body.orderId,
      'the replay answers with the first order, not a new one',
    );
    const other = await customer.placeOrder('TEA-GREEN', 2, 'tok_visa', key);
    report.did(`the same key with another body: HTTP ${other.status}`, other.traceId);
    report.check(other.status === 422, 'a key reused for another request is refused (422)');

    const raceKey = randomUUID();
    const racing = await Promise.all(
      Array.from({ length: 5 }, () => customer.placeOrder('TEA-BLACK', 1, 'tok_visa', raceKey)),
    );
    report.did(
      `5 identical requests at once with key ${raceKey}: HTTP ${racing.map(({ status }) => status).join(', ')}`,
    );
    const raceOrders = new Set(racing.filter(({ status }) => status === 202).map(({ body }) => body.orderId));
    report.check(
      raceOrders.size === 1,
      'they made one order between them (the others replayed it or were told to retry, 409)',
    );

    const orders = await customer.call<{ items: { orderId: string }[] }>('GET', '/api/orders');
    report.check(
      orders.body.items.length === 2,
      `the customer has exactly 2 orders (has ${orders.body.items.length})`,
    );
  },
};
