import type { BenchContext } from '../bench-context.ts';
import { allOrdersOf } from '../platform/api-client.ts';
import { isFinal, type OrderSnapshot } from './saga-outcome.ts';

/**
 * Longer than every saga deadline of the order service (stock 30 s, payment 8 s, compensation
 * retries): an order still PENDING after this is stuck, and is reported as such.
 */
const SETTLE_TIMEOUT_MS = 120_000;

/**
 * Polls the customer's orders (pages of 100: one sweep costs the order service a few requests,
 * not one per order) until at least `expected` are listed and all are final, or the timeout.
 * Returns them as last seen, pending ones included.
 */
export async function settleOrders(
  context: BenchContext,
  gatewayUrl: string,
  token: string,
  expected: number,
  what: string,
): Promise<OrderSnapshot[]> {
  const began = Date.now();
  let lastReport = began;
  let orders: OrderSnapshot[] = [];
  for (;;) {
    orders = await allOrdersOf(gatewayUrl, token);
    const pending = orders.filter((order) => !isFinal(order)).length;
    if (orders.length >= expected && pending === 0) return orders;
    if (Date.now() - began > SETTLE_TIMEOUT_MS) {
      context.say(
        `  ${what}: ${pending} orders still pending after ${SETTLE_TIMEOUT_MS / 1000} s, reported as such`,
      );
      return orders;
    }
    if (Date.now() - lastReport > 10_000) {
      context.say(
        `  ${what}: ${orders.length - pending} of ${Math.max(expected, orders.length)} orders final`,
      );
      lastReport = Date.now();
    }
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
}
