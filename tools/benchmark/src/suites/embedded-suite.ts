import { randomUUID } from 'node:crypto';
import type { BenchContext } from '../bench-context.ts';
import { formatCount, formatMs } from '../format.ts';
import { summarizeLatencies } from '../latency.ts';
import { adminToken, call, createProduct, newCustomerToken, orderBody } from '../platform/api-client.ts';
import { cpuTicksOf } from '../platform/process-cpu.ts';
import { spawnTracked } from '../platform/service-process.ts';
import { distMainOf } from '../platform/workspace.ts';
import { formatCounts, sagaOutcomeOf } from './saga-outcome.ts';
import { settleOrders } from './settle-orders.ts';
import type { SuiteReport } from './suite-report.ts';

const ordersPerSecond = 5;

interface EmbeddedPlatform {
  gatewayUrl: string;
  pid: number;
  stop(): Promise<void>;
}

/**
 * `npm start`'s process (every app in one process, in-memory adapters), on its usual ports: the apps
 * find each other there (GATEWAY_PORT, AUTH_PORT, ... move them, as for npm start).
 */
async function startEmbedded(context: BenchContext): Promise<EmbeddedPlatform> {
  context.say('booting the embedded platform (npm start)');
  const child = spawnTracked([process.execPath, distMainOf('embedded')], { LOG_LEVEL: 'warn' });
  const platform: EmbeddedPlatform = {
    gatewayUrl: `http://127.0.0.1:${process.env['GATEWAY_PORT'] || 8080}`,
    pid: child.pid,
    stop: child.stop,
  };
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode() !== null)
      throw new Error(`the embedded platform exited while starting:\n${child.output()}`);
    if (child.output().includes('the platform is up')) return platform;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  await platform.stop();
  throw new Error(`the embedded platform did not come up in 60 s:\n${child.output()}`);
}

/**
 * The order path with nothing but the code: every app in one process with in-memory adapters, as
 * `npm start` runs it. Orders at a steady 5/s, one at a time, then POST → CONFIRMED from each
 * order's history: what the saga's own hops cost (relays, consumers, the status stream), with no
 * disk and no broker in the way. Also the process's idle CPU.
 */
export async function embeddedSuite(context: BenchContext): Promise<SuiteReport> {
  const platform = await startEmbedded(context);
  try {
    const { gatewayUrl } = platform;
    const sku = `BENCH-EMBEDDED-${context.runId.toUpperCase()}`;
    await createProduct(gatewayUrl, await adminToken(gatewayUrl), sku, 1_000_000);

    context.say(`measuring idle CPU for ${context.options.durationSeconds} s`);
    const idleBefore = cpuTicksOf(platform.pid);
    const idleBegan = performance.now();
    await new Promise((resolve) => setTimeout(resolve, context.options.durationSeconds * 1000));
    const idlePercent =
      ((cpuTicksOf(platform.pid) - idleBefore) /
        context.ticksPerSecond /
        ((performance.now() - idleBegan) / 1000)) *
      100;

    const token = await newCustomerToken(gatewayUrl);
    const count = ordersPerSecond * context.options.durationSeconds;
    context.say(`placing ${count} orders at ${ordersPerSecond}/s`);
    const began = performance.now();
    const cpuBefore = cpuTicksOf(platform.pid);
    for (let index = 0; index < count; index++) {
      const placed = await call(gatewayUrl, 'POST', '/api/orders', {
        token,
        body: orderBody(sku),
        headers: { 'idempotency-key': randomUUID() },
      });
      if (placed.status !== 202) throw new Error(`POST /api/orders answered ${placed.status}`);
      const due = began + ((index + 1) * 1000) / ordersPerSecond;
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, due - performance.now())));
    }
    const orders = await settleOrders(context, gatewayUrl, token, count, 'embedded orders');
    const cpuMicrosPerOrder = ((cpuTicksOf(platform.pid) - cpuBefore) * 1e6) / context.ticksPerSecond / count;
    const outcome = sagaOutcomeOf(orders);
    const confirm = summarizeLatencies(outcome.confirmLatenciesMs);
    return {
      suite: 'embedded',
      title: `embedded profile (npm start, one process, in memory): ${count} orders at ${ordersPerSecond}/s`,
      table: {
        headers: ['orders', 'confirmed', 'POST→CONFIRMED p50 ms', 'p99 ms', 'idle CPU', 'CPU per order'],
        rows: [
          [
            formatCount(outcome.orders),
            formatCount(outcome.byStatus['CONFIRMED'] ?? 0),
            formatMs(confirm.p50),
            formatMs(confirm.p99),
            `${idlePercent.toFixed(1)}% of a core`,
            `${(cpuMicrosPerOrder / 1000).toFixed(1)} ms`,
          ],
        ],
      },
      notes: [
        'POST→CONFIRMED: from the order history (createdAt to the CONFIRMED entry), the server clock',
        `outcomes: ${formatCounts(outcome.byStatus)}`,
        'CPU per order: the whole process (every app) from the first POST to the last order final, idle time included',
      ],
      figures: {
        orders: outcome.orders,
        byStatus: outcome.byStatus,
        confirm,
        idlePercent,
        cpuMicrosPerOrder,
      },
    };
  } finally {
    await platform.stop();
  }
}
