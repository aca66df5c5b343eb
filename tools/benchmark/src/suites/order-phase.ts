import { randomUUID } from 'node:crypto';
import type { BenchContext } from '../bench-context.ts';
import { measureAtRate, measureSaturation, warmUp, type RequestShape, type Target } from '../measure.ts';
import { call, orderBody } from '../platform/api-client.ts';
import { readTicks, type WatchedProcess } from '../platform/process-cpu.ts';
import { formatCounts, sagaOutcomeOf, type OrderSnapshot, type SagaOutcome } from './saga-outcome.ts';
import { settleOrders } from './settle-orders.ts';

/** One window of orders through the public API, and what became of them. */
export interface OrderPhase {
  label: string;
  postsPerSecond: number;
  postP99Ms: number;
  rateNote?: string;
  outcome: SagaOutcome;
  orders: OrderSnapshot[];
  /** CPU µs per order from the first POST until every order was final, per process. */
  cpuMicrosPerOrder: Record<string, number>;
  /** Each process's CPU over the same time, in % of one core. */
  cpuPercent: Record<string, number>;
}

export interface OrderPhaseOptions {
  gatewayUrl: string;
  /** Each order is for one unit of one of them, in turn. */
  skus: readonly string[];
  /** A customer of its own: its orders are the phase's. */
  token: string;
  label: string;
  /** Whose CPU is counted. */
  watched: readonly WatchedProcess[];
  /** Orders a second to hold; as fast as they are accepted when absent. */
  rate?: number;
}

/** The warm-up's orders as fast as accepted, unmeasured, each polled to a final status: JIT, pools and caches warm. */
export async function warmUpOrders(
  context: BenchContext,
  gatewayUrl: string,
  skus: readonly string[],
  token: string,
): Promise<OrderSnapshot[]> {
  await warmUp(context, {
    label: 'the saga (orders as fast as accepted)',
    request: ordersRequest(gatewayUrl, token, skus),
    watched: [],
  });
  return settleOrders(context, gatewayUrl, token, 0, 'warm-up orders');
}

/** POST /api/orders as the customer of `token`, a new Idempotency-Key each time, the skus in turn. */
function ordersRequest(gatewayUrl: string, token: string, skus: readonly string[]): RequestShape {
  const bodies = skus.map((sku) => JSON.stringify(orderBody(sku)));
  return {
    baseUrl: gatewayUrl,
    method: 'POST',
    path: '/api/orders',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: bodies[0] as string,
    ...(bodies.length > 1 ? { cycleBodies: bodies } : {}),
    freshHeader: 'idempotency-key',
  };
}

/**
 * POST /api/orders (each with its own Idempotency-Key, tok_visa, one unit of one of `skus`) for the
 * measurement window, as fast as accepted or at `rate`, then every order polled to a final status.
 */
export async function measureOrderPhase(
  context: BenchContext,
  options: OrderPhaseOptions,
): Promise<OrderPhase> {
  const { gatewayUrl, skus, token, label, watched, rate } = options;
  const target: Target = {
    label: `POST /api/orders (${label})`,
    request: { ...ordersRequest(gatewayUrl, token, skus), collectField: 'orderId' },
    watched: [],
  };
  const before = readTicks(watched);
  const began = performance.now();
  const measured =
    rate === undefined
      ? await measureSaturation(context, target)
      : await measureAtRate(context, target, rate);
  const orders = await settleOrders(context, gatewayUrl, token, measured.collected.length, label);
  const seconds = (performance.now() - began) / 1000;
  const after = readTicks(watched);
  const outcome = sagaOutcomeOf(orders);
  context.say(
    `  ${label}: ${outcome.orders} orders, ${formatCounts(outcome.byStatus)}, completed at ${outcome.completedPerSecond.toFixed(1)}/s`,
  );
  const ticksOf = (name: string) => (after.get(name) ?? 0) - (before.get(name) ?? 0);
  const postLatency = 'latency' in measured ? measured.latency : undefined;
  return {
    label,
    postsPerSecond: 'okPerSecond' in measured ? measured.okPerSecond : measured.achievedRate,
    postP99Ms: postLatency?.p99 ?? Number.NaN,
    ...('rateHeld' in measured && !measured.rateHeld ? { rateNote: 'POST rate not held' } : {}),
    outcome,
    orders,
    cpuMicrosPerOrder: Object.fromEntries(
      watched.map(({ name }) => [
        name,
        (ticksOf(name) * 1e6) / context.ticksPerSecond / Math.max(1, orders.length),
      ]),
    ),
    cpuPercent: Object.fromEntries(
      watched.map(({ name }) => [name, (ticksOf(name) / context.ticksPerSecond / seconds) * 100]),
    ),
  };
}

/** One order through the whole saga before anything is measured: a broken stack fails here, clearly. */
export async function probeOrder(
  context: BenchContext,
  gatewayUrl: string,
  sku: string,
  token: string,
): Promise<OrderSnapshot> {
  context.say('placing one order to check the saga completes end to end');
  const placed = await call(gatewayUrl, 'POST', '/api/orders', {
    token,
    body: orderBody(sku),
    headers: { 'idempotency-key': randomUUID() },
  });
  if (placed.status !== 202)
    throw new Error(`the probe order answered ${placed.status}: ${JSON.stringify(placed.body)}`);
  const [order] = await settleOrders(context, gatewayUrl, token, 1, 'probe order');
  if (order?.status !== 'CONFIRMED')
    throw new Error(
      `the probe order ended ${order?.status ?? 'unseen'} (${order?.failureReason ?? 'no reason'}), not CONFIRMED`,
    );
  return order;
}
