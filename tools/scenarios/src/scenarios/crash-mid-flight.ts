import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { adminCredentials, type Answer, type GatewayClient, type OrderStatus } from '../gateway-client.ts';
import type { Scenario } from '../scenario.ts';
import { kill, restart, serviceListeningOn } from '../service-process.ts';

const orders = 20;

export const crashMidFlight: Scenario = {
  name: 'crash-mid-flight',
  pattern: 'transactional outbox; Idempotency-Key',
  page: 'docs/patterns/transactional-outbox.md',
  summary: `the order service is SIGKILLed while ${orders} orders are being placed and published; after its restart every order completes once`,
  needs: 'process',
  async run(gateway, report, context) {
    const orderUrl = context.orderUrl;
    if (!orderUrl) throw new Error('needs --order-url');
    const admin = await gateway.signedIn(adminCredentials.email, adminCredentials.password);
    const created = await admin.addProduct('CRASH', 'Crash tea', 100);
    const { sku } = created;
    report.did(`admin adds ${sku} with 100 units: HTTP ${created.status}`, created.traceId);

    const service = serviceListeningOn(Number(new URL(orderUrl).port));
    const customer = await gateway.newCustomer();
    const keys = Array.from({ length: orders }, () => randomUUID());
    let killed: Promise<void> | undefined;
    const first = await Promise.all(
      keys.map(async (key) => {
        const answer = await customer.placeOrder(sku, 1, 'tok_visa', key);
        // At the first order accepted, the others are in flight: being written, waiting in the
        // outbox for the relay, or being published.
        if (answer.status === 202) killed ??= kill(service);
        return answer;
      }),
    );
    await killed;
    const unanswered = keys.filter((_, index) => first[index]?.status !== 202);
    report.did(
      `${orders} orders sent at once, the order service (pid ${service.pid}) SIGKILLed at the first 202: ` +
        `${orders - unanswered.length} accepted, ${unanswered.length} answered ${statusesOf(first.filter(({ status }) => status !== 202))} by the gateway`,
    );

    const started = Date.now();
    const pid = restart(service, join(process.cwd(), 'tmp', 'scenario-logs'));
    while (
      (await fetch(`${orderUrl}/healthz`).then(
        (response) => response.status,
        () => 0,
      )) !== 200
    ) {
      if (Date.now() - started > 120_000)
        throw new Error('the order service did not answer /healthz within 120 s');
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    report.did(`the order service started again as pid ${pid}, live after ${Date.now() - started} ms`);

    // A client without an answer sends the same request again, with the same key, as the API asks:
    // after Retry-After on a 503 (the gateway's breaker for the order service may be open) and
    // again on a 409 (a request with that key may still hold its lock, cut off by the kill).
    const resent = await Promise.all(unanswered.map((key) => placeUntilAnswered(customer, sku, key)));
    report.did(
      `the ${unanswered.length} unanswered requests sent again with their keys until answered: ${statusesOf(resent)}`,
    );
    const settled = [...first.filter(({ status }) => status === 202), ...resent];
    report.check(
      settled.length === orders && settled.every(({ status }) => status === 202),
      'every key has its order (202)',
    );

    const finals = await Promise.all(settled.map(({ body }) => customer.finalStatusOf(body.orderId)));
    const confirmed = finals.filter(({ status }) => status === 'CONFIRMED').length;
    const cancelled = finals.filter(({ status }) => status === 'CANCELLED');
    const reasons = [...new Set(cancelled.map(({ failureReason }) => failureReason))].join(', ');
    report.did(
      `outcomes: ${confirmed} CONFIRMED, ${cancelled.length} CANCELLED${reasons ? ` (${reasons})` : ''}`,
    );
    report.check(
      finals.length === orders && finals.every(({ status }) => status !== 'PENDING'),
      `every order reached a final status: nothing the outbox held was lost`,
    );
    // An order whose deadline passed while its service was down is cancelled by that deadline once
    // it is back, and its payment given back: the one outcome the downtime may cause.
    report.check(
      cancelled.every(({ failureReason }) => failureReason === 'TIMEOUT'),
      'an order cancelled only because its deadline passed while the service was down (TIMEOUT)',
    );
    for (const { orderId } of cancelled) {
      const payment = await paymentOf(customer, orderId);
      report.check(
        payment !== 'AUTHORIZED',
        `no money kept for cancelled order ${orderId} (payment: ${payment})`,
      );
    }
    const listed = await customer.call<{ items: unknown[] }>('GET', '/api/orders?limit=100');
    report.check(
      listed.body.items.length === orders,
      `one order per key: the customer has ${listed.body.items.length}`,
    );
    const product = await admin.call<{ available: number }>('GET', `/api/products/${sku}`);
    report.check(
      product.body.available === 100 - confirmed,
      `stock moved once per order: available ${product.body.available} = 100 − ${confirmed}`,
    );
  },
};

/** The order's payment once it is settled either way (a refund of a late authorization takes a moment). */
async function paymentOf(customer: GatewayClient, orderId: string): Promise<string> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const answer = await customer.call<{ status: string }>('GET', `/api/payments?orderId=${orderId}`);
    const status =
      answer.status === 200 ? answer.body.status : answer.status === 404 ? 'none' : `HTTP ${answer.status}`;
    if (!['AUTHORIZED', 'PENDING'].includes(status) || Date.now() > deadline) return status;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

async function placeUntilAnswered(
  customer: GatewayClient,
  sku: string,
  key: string,
): Promise<Answer<OrderStatus>> {
  const deadline = Date.now() + 120_000;
  for (;;) {
    const answer = await customer.placeOrder(sku, 1, 'tok_visa', key);
    if (![409, 502, 503, 504].includes(answer.status) || Date.now() > deadline) return answer;
    const retryAfterSeconds = Number(answer.headers.get('retry-after') ?? 1);
    await new Promise((resolve) => setTimeout(resolve, Math.min(retryAfterSeconds, 5) * 1000));
  }
}

function statusesOf(answers: Answer[]): string {
  return answers.length === 0 ? '-' : `HTTP ${[...new Set(answers.map(({ status }) => status))].join(', ')}`;
}
