import { randomUUID } from 'node:crypto';
import type { BenchContext } from '../bench-context.ts';
import { unpinned, unpinnedNote } from './unpinned.ts';
import { formatRatio } from '../format.ts';
import { measureSideBySide, type Target } from '../measure.ts';
import { adminToken, call, createProduct, newCustomerToken, orderBody } from '../platform/api-client.ts';
import { startOrderStack, type OrderStack } from '../platform/order-stack.ts';
import { comparisonTable, comparisonWarnings } from './comparison-table.ts';
import { settleOrders } from './settle-orders.ts';
import type { SuiteReport } from './suite-report.ts';

/** Finished keys the replays go round: enough that no single record is the only one read. */
const finishedKeys = 40;

/**
 * What an Idempotency-Key replay costs beside a fresh order: POST /api/orders through the gateway
 * with a new key each time (an order is placed) and with keys whose first request finished (the
 * stored 202 is replayed), at saturation and then both at the same rate.
 */
export async function idempotencySuite(pinnedContext: BenchContext): Promise<SuiteReport> {
  const context = unpinned(pinnedContext);
  context.say('idempotency: replay vs fresh POST /api/orders');
  // Each suite boots its own stack and stops it before the next suite waits for other runs
  // (other-runs-guard.ts): an idle stack of ours would still answer their commands.
  const stack = await startOrderStack(context, 'idempotency');
  try {
    const report = await idempotencySuiteOn(context, stack);
    return { ...report, notes: [...report.notes, unpinnedNote] };
  } finally {
    await stack.stop();
  }
}

async function idempotencySuiteOn(context: BenchContext, stack: OrderStack): Promise<SuiteReport> {
  const gatewayUrl = stack.gateway.baseUrl;
  const sku = `BENCH-IDEM-${context.runId.toUpperCase()}`;
  await createProduct(gatewayUrl, await adminToken(gatewayUrl), sku, 1_000_000);
  const body = JSON.stringify(orderBody(sku));

  context.say(`placing ${finishedKeys} orders whose keys the replays will reuse`);
  const replayToken = await newCustomerToken(gatewayUrl);
  const keys = Array.from({ length: finishedKeys }, () => randomUUID());
  const place = async (key: string) => {
    // A busy order service may answer the gateway late (504) or still hold the key (409): the same
    // key again is safe, that is what it is for, and ends in the 202 or its replay.
    for (let attempt = 1; ; attempt += 1) {
      const placed = await call(gatewayUrl, 'POST', '/api/orders', {
        token: replayToken,
        body: orderBody(sku),
        headers: { 'idempotency-key': key },
      });
      if (placed.status === 202) return;
      if (![409, 503, 504].includes(placed.status) || attempt === 5)
        throw new Error(`placing an order answered ${placed.status}: ${JSON.stringify(placed.body)}`);
      await new Promise((resolve) => setTimeout(resolve, 1000 * attempt));
    }
  };
  // A few at a time: the set-up is not measured, but it need not take a request's latency per key.
  for (let next = 0; next < keys.length; next += 4) await Promise.all(keys.slice(next, next + 4).map(place));
  const replayed = await call(gatewayUrl, 'POST', '/api/orders', {
    token: replayToken,
    body: orderBody(sku),
    headers: { 'idempotency-key': keys[0] as string },
  });
  if (replayed.status !== 202 || replayed.headers.get('idempotent-replayed') !== 'true')
    throw new Error(`a replay answered ${replayed.status} without Idempotent-Replayed: true`);
  await settleOrders(context, gatewayUrl, replayToken, finishedKeys, 'orders of the replayed keys');

  const freshToken = await newCustomerToken(gatewayUrl);
  const request = (token: string) => ({
    baseUrl: gatewayUrl,
    method: 'POST' as const,
    path: '/api/orders',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body,
  });
  const watched = [stack.gateway, stack.order].map((service) => ({ name: service.app, pid: service.pid }));
  const fresh: Target = {
    label: 'fresh key (new order)',
    request: { ...request(freshToken), freshHeader: 'idempotency-key' },
    watched,
    // The orders it placed run their saga after the POSTs: let them finish before the next run.
    settle: async () => void (await settleOrders(context, gatewayUrl, freshToken, 0, 'fresh orders')),
  };
  const replay: Target = {
    label: 'finished key (replayed 202)',
    request: { ...request(replayToken), cycleHeader: { name: 'idempotency-key', values: keys } },
    watched,
  };
  const { latencyRate, results } = await measureSideBySide(context, [fresh, replay]);
  const [freshResult, replayResult] = results.map(({ target, saturation, atRate }) => ({
    label: target.label,
    saturation,
    atRate,
  }));
  if (!freshResult || !replayResult) throw new Error('idempotency: a measurement is missing');
  const p99Ratio = formatRatio(replayResult.atRate.latency.p99, freshResult.atRate.latency.p99);
  return {
    suite: 'idempotency',
    title: `idempotency: POST /api/orders through the gateway, replay vs fresh key (latencies at ${latencyRate} req/s)`,
    table: comparisonTable(freshResult, [{ target: replayResult, ratioLabel: 'replay ÷ fresh' }]),
    notes: [
      `p99 replay ÷ fresh: ${p99Ratio}`,
      `replays go round ${finishedKeys} finished keys; a fresh POST prices the order, stores it with its key and its outbox event`,
      'CPU per request counts the gateway and the order service only',
      ...comparisonWarnings([freshResult, replayResult]),
    ],
    figures: {
      latencyRate,
      fresh: freshResult,
      replay: replayResult,
      p99ReplayOverFresh: replayResult.atRate.latency.p99 / freshResult.atRate.latency.p99,
    },
  };
}
