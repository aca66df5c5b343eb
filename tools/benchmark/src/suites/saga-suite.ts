import type { BenchContext } from '../bench-context.ts';
import { unpinned, unpinnedNote } from './unpinned.ts';
import { formatCount, formatMicros, formatMs } from '../format.ts';
import { summarizeLatencies } from '../latency.ts';
import { adminToken, availableOf, createProduct, newCustomerToken } from '../platform/api-client.ts';
import { startOrderStack, type OrderStack } from '../platform/order-stack.ts';
import { readTicks, type WatchedProcess } from '../platform/process-cpu.ts';
import { seedOrders } from '../platform/seed-orders.ts';
import { runNames } from '../platform/service-env.ts';
import { confirmedQuantityOf, formatCounts, isFinal, type OrderSnapshot } from './saga-outcome.ts';
import { settleOrders } from './settle-orders.ts';
import { measureOrderPhase, probeOrder, warmUpOrders, type OrderPhase } from './order-phase.ts';
import type { SuiteReport } from './suite-report.ts';

const initialStock = 1_000_000;

/**
 * The order saga under sustained load, through the public API: POST /api/orders (each with its
 * own Idempotency-Key, tok_visa, a sku with stock for all) for a fixed window, then every order
 * polled to a final status. First as fast as the platform accepts them, then at half the rate it
 * completed them, for the POST → CONFIRMED latencies.
 */
export async function sagaSuite(pinnedContext: BenchContext): Promise<SuiteReport> {
  const context = unpinned(pinnedContext);
  context.say('order saga: sustained orders/s');
  // Each suite boots its own stack and stops it before the next suite waits for other runs
  // (other-runs-guard.ts): an idle stack of ours would still answer their commands.
  const stack = await startOrderStack(context, 'saga');
  try {
    const report = await sagaSuiteOn(context, stack);
    return { ...report, notes: [...report.notes, unpinnedNote] };
  } finally {
    await stack.stop();
  }
}

async function sagaSuiteOn(context: BenchContext, stack: OrderStack): Promise<SuiteReport> {
  const gatewayUrl = stack.gateway.baseUrl;
  const sku = `BENCH-SAGA-${context.runId.toUpperCase()}`;
  await createProduct(gatewayUrl, await adminToken(gatewayUrl), sku, initialStock);
  /** Every customer that placed orders, and how many of their orders the phases saw. */
  const customers = new Map<string, number>();
  const customer = async () => {
    const token = await newCustomerToken(gatewayUrl);
    customers.set(token, 0);
    return token;
  };
  const saw = (token: string, orders: readonly OrderSnapshot[]) => customers.set(token, orders.length);

  const probeCustomer = await customer();
  const probe = await probeOrder(context, gatewayUrl, sku, probeCustomer);
  saw(probeCustomer, [probe]);
  const watched = stack.services.map((service) => ({ name: service.app, pid: service.pid }));
  const idle = await idleCpuOf(context, watched);

  const phase = async (label: string, token: string, rate?: number): Promise<OrderPhase> => {
    const measured = await measureOrderPhase(context, {
      gatewayUrl,
      skus: [sku],
      token,
      label,
      watched,
      ...(rate === undefined ? {} : { rate }),
    });
    saw(token, measured.orders);
    return measured;
  };

  const warmUpCustomer = await customer();
  saw(warmUpCustomer, await warmUpOrders(context, gatewayUrl, [sku], warmUpCustomer));

  const saturated = await phase('as fast as accepted', await customer());
  const completed = saturated.outcome.completedPerSecond;
  const halfRate = Number.isFinite(completed) ? Math.max(1, Math.floor(completed / 2)) : 1;
  const half = await phase(`at ${halfRate} orders/s`, await customer(), halfRate);
  const seeded = context.options.seedOrders;
  let grown: OrderPhase | undefined;
  if (seeded > 0) {
    const names = runNames(context.runId, 'saga');
    const { documents } = await seedOrders(
      process.env['MONGO_URL'] || 'mongodb://127.0.0.1:27017',
      { databases: [names.database('order'), names.database('inventory')], orderId: probe.orderId },
      seeded,
      context.say,
    );
    context.say(`  stored ${formatCount(seeded)} earlier orders (${formatCount(documents)} documents)`);
    grown = await phase(`as fast as accepted, ${formatCount(seeded)} orders stored`, await customer());
  }

  const stockNote = await checkStock(context, stack, sku, customers);
  const row = (p: OrderPhase) => {
    const confirm = summarizeLatencies(p.outcome.confirmLatenciesMs);
    const cancelled = p.outcome.byStatus['CANCELLED'] ?? 0;
    const final =
      (p.outcome.byStatus['CONFIRMED'] ?? 0) + cancelled + (p.outcome.byStatus['COMPENSATION_FAILED'] ?? 0);
    return [
      p.label + (p.rateNote ? ` (${p.rateNote})` : ''),
      formatCount(p.outcome.orders),
      formatCount(p.postsPerSecond),
      p.outcome.completedPerSecond.toFixed(1),
      formatCount(p.outcome.byStatus['CONFIRMED'] ?? 0),
      formatCount(cancelled),
      formatCount(p.outcome.orders - final),
      formatMs(confirm.p50),
      formatMs(confirm.p99),
      formatMs(p.postP99Ms),
    ];
  };
  const cpuNote = (p: OrderPhase) =>
    `CPU per order, ${p.label}: ` +
    Object.entries(p.cpuMicrosPerOrder)
      .map(([name, micros]) => `${name} ${formatMicros(micros)}`)
      .join(', ') +
    `; summed ${formatMicros(Object.values(p.cpuMicrosPerOrder).reduce((sum, micros) => sum + micros, 0))}`;
  return {
    suite: 'saga',
    title: `order saga: POST /api/orders (1× ${sku}, tok_visa) for ${context.options.durationSeconds} s, then every order polled to a final status`,
    table: {
      headers: [
        '',
        'orders',
        'POST 202/s',
        'completed/s',
        'confirmed',
        'cancelled',
        'not final',
        'POST→CONFIRMED p50 ms',
        'p99 ms',
        'POST p99 ms',
      ],
      rows: [row(saturated), row(half), ...(grown ? [row(grown)] : [])],
    },
    notes: [
      'completed/s: orders that reached a final status ÷ (last final status − first createdAt), server clocks',
      'POST→CONFIRMED: from the order history (createdAt to the CONFIRMED entry); POST p99 is the client-side 202 latency at the held rate',
      `cancelled because: ${formatCounts(saturated.outcome.cancelledBecause)} (saturation); ${formatCounts(half.outcome.cancelledBecause)} (half rate)`,
      stockNote,
      cpuNote(saturated),
      cpuNote(half),
      ...(grown
        ? [
            cpuNote(grown),
            `data growth: completed/s with ${formatCount(seeded)} orders stored ÷ on the empty store = ${(grown.outcome.completedPerSecond / saturated.outcome.completedPerSecond).toFixed(2)}`,
          ]
        : []),
      `idle CPU over ${context.options.durationSeconds} s before the load, % of one core: ` +
        Object.entries(idle)
          .map(([name, percent]) => `${name} ${percent.toFixed(1)}%`)
          .join(', '),
      'CPU per order includes what the services burn idle over the same time (outbox relays, saga ticks, Kafka heartbeats): with few orders it dominates',
      'not checked here: one charge per order (payment) and one notification per outcome (notification is not started)',
    ],
    figures: { sku, saturated, half, halfRate, stock: stockNote, idleCpuPercent: idle, seeded, grown },
  };
}

/** Each process's CPU while nothing is asked of it, in % of one core: what polling costs. */
async function idleCpuOf(context: BenchContext, watched: WatchedProcess[]): Promise<Record<string, number>> {
  context.say(`measuring idle CPU for ${context.options.durationSeconds} s`);
  const before = readTicks(watched);
  const began = performance.now();
  await new Promise((resolve) => setTimeout(resolve, context.options.durationSeconds * 1000));
  const seconds = (performance.now() - began) / 1000;
  const after = readTicks(watched);
  return Object.fromEntries(
    watched.map(({ name }) => [
      name,
      ((((after.get(name) ?? 0) - (before.get(name) ?? 0)) / context.ticksPerSecond) * 100) / seconds,
    ]),
  );
}

/**
 * The stock invariant of docs/events.md#invariants as the public API shows it, once every order is
 * final: available = initial − units sold by confirmed orders (nothing left reserved). Every
 * customer's orders are listed again here: a POST still in flight when a phase's load stopped may
 * have stored its order after the phase listed them (its answer never reached the load generator).
 * Read after the product cache's TTL (5 s) so the answer is not a cached one.
 */
async function checkStock(
  context: BenchContext,
  stack: OrderStack,
  sku: string,
  customers: ReadonlyMap<string, number>,
): Promise<string> {
  context.say('checking the stock invariant (every order final, after the product cache TTL)');
  await new Promise((resolve) => setTimeout(resolve, 6000));
  const gatewayUrl = stack.gateway.baseUrl;
  const orders: OrderSnapshot[] = [];
  let seen = 0;
  for (const [token, count] of customers) {
    seen += count;
    orders.push(...(await settleOrders(context, gatewayUrl, token, count, 'stock check')));
  }
  if (orders.some((order) => !isFinal(order)))
    return 'stock invariant: not checked, some orders are still pending';
  const late = orders.length - seen;
  const available = await availableOf(stack.inventory.baseUrl, sku);
  const expected = initialStock - confirmedQuantityOf(orders, sku);
  const counted = `${initialStock} − ${initialStock - expected} sold${late > 0 ? `; ${late} orders stored after their phase listed its orders` : ''}`;
  return available === expected
    ? `stock invariant: clean (available ${available} = ${counted})`
    : `stock invariant: BROKEN, available ${available}, expected ${expected} (${counted})`;
}
