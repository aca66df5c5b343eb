import type { BenchContext } from '../bench-context.ts';
import { formatCount } from '../format.ts';
import { adminToken, createProduct, newCustomerToken } from '../platform/api-client.ts';
import { scaledApps, startOrderStack, type OrderStack, type ScaledApp } from '../platform/order-stack.ts';
import { infraServerProcesses, type WatchedProcess } from '../platform/process-cpu.ts';
import type { RunningService } from '../platform/service-process.ts';
import { ensurePartitions, sagaTopics } from '../platform/topic-partitions.ts';
import { measureOrderPhase, probeOrder, warmUpOrders, type OrderPhase } from './order-phase.ts';
import type { SuiteReport } from './suite-report.ts';
import { unpinned, unpinnedNote } from './unpinned.ts';

const sizes = [1, 2, 3] as const;
/** Twice the largest size: every member of a group has partitions to own, with room for one more. */
const partitions = 6;
const initialStock = 1_000_000;
/**
 * Orders spread over this many products: the saga figure's single sku makes one stock document
 * the bound (every reservation is a guarded update of it), which more instances cannot lift.
 */
const productCount = 12;

interface SizeFigures {
  instances: number;
  phase: OrderPhase;
  /** The most messages each service's consumer group was behind while the orders came in. */
  maxLag: Record<ScaledApp, number>;
  /** CPU µs per order of the services and of the servers, each summed. */
  servicesMicrosPerOrder: number;
  serversMicrosPerOrder: number;
}

/**
 * Scale-out: the order saga as fast as accepted (as in the saga figure) with 1, 2 and 3
 * instances each of inventory, payment and order, each service one consumer group over 6
 * partitions, the gateway and order balancing HTTP over the instances. Per size: orders
 * completed a second, its ratio to one instance, every process's CPU (the servers' too, so the
 * bottleneck shows) and the consumer lag.
 */
export async function scaleSuite(pinnedContext: BenchContext): Promise<SuiteReport> {
  const context = unpinned(pinnedContext);
  context.say(`scale-out: 1, 2 and 3 instances of ${scaledApps.join(', ')}`);
  for (const change of await ensurePartitions(process.env, sagaTopics, partitions))
    context.say(`  ${change}`);
  const measured: SizeFigures[] = [];
  for (const instances of sizes) {
    // Each size its own stack (databases, keyspace, groups), stopped before the next boots.
    const stack = await startOrderStack(context, `scale${instances}`, {
      instances,
      topicPartitions: partitions,
    });
    try {
      measured.push(await measureSize(context, stack, instances));
    } finally {
      await stack.stop();
    }
  }
  const one = measured[0]?.phase.outcome.completedPerSecond ?? Number.NaN;
  const lagOf = (size: SizeFigures) => scaledApps.map((app) => `${app} ${size.maxLag[app]}`).join(', ');
  return {
    suite: 'scale',
    title: `scale-out: orders (${productCount} skus in turn) as fast as accepted for ${context.options.durationSeconds} s with 1, 2 and 3 instances each of ${scaledApps.join(', ')} (${partitions} partitions)`,
    table: {
      headers: [
        'instances',
        'orders',
        'POST 202/s',
        'completed/s',
        '÷ 1 instance',
        'CPU ms/order, services',
        'servers',
        'max lag while loaded',
      ],
      rows: measured.map((size) => [
        String(size.instances),
        formatCount(size.phase.outcome.orders),
        formatCount(size.phase.postsPerSecond),
        size.phase.outcome.completedPerSecond.toFixed(1),
        (size.phase.outcome.completedPerSecond / one).toFixed(2),
        (size.servicesMicrosPerOrder / 1000).toFixed(0),
        (size.serversMicrosPerOrder / 1000).toFixed(0),
        lagOf(size),
      ]),
    },
    notes: [
      ...measured.map(
        (size) =>
          `CPU, % of one core, ${size.instances} instance(s), from the first POST until every order was final: ` +
          Object.entries(size.phase.cpuPercent)
            .sort(([, a], [, b]) => b - a)
            .map(([name, percent]) => `${name} ${percent.toFixed(0)}%`)
            .join(', '),
      ),
      'servers: the processes of npm run infra:up with everything they started, shared with whatever else uses them',
      'the ratio cannot pass the cores: every instance, the servers and the load generator share this machine',
      unpinnedNote,
    ],
    figures: { partitions, sizes: measured },
  };
}

async function measureSize(
  context: BenchContext,
  stack: OrderStack,
  instances: number,
): Promise<SizeFigures> {
  const gatewayUrl = stack.gateway.baseUrl;
  const admin = await adminToken(gatewayUrl);
  const skus = Array.from(
    { length: productCount },
    (_, index) => `BENCH-SCALE${instances}-${context.runId.toUpperCase()}-${index + 1}`,
  );
  for (const sku of skus) await createProduct(gatewayUrl, admin, sku, initialStock);
  await probeOrder(context, gatewayUrl, skus[0] as string, await newCustomerToken(gatewayUrl));
  await warmUpOrders(context, gatewayUrl, skus, await newCustomerToken(gatewayUrl));
  const services = watchedServices(stack.services);
  const servers = infraServerProcesses(process.env);
  const lag = sampleLag(stack);
  let phase: OrderPhase;
  try {
    phase = await measureOrderPhase(context, {
      gatewayUrl,
      skus,
      token: await newCustomerToken(gatewayUrl),
      label: `${instances} instance(s)`,
      watched: [...services, ...servers],
    });
  } finally {
    lag.stop();
  }
  const summed = (watched: WatchedProcess[]) =>
    watched.reduce((sum, { name }) => sum + (phase.cpuMicrosPerOrder[name] ?? 0), 0);
  return {
    instances,
    phase,
    maxLag: lag.max,
    servicesMicrosPerOrder: summed(services),
    serversMicrosPerOrder: summed(servers),
  };
}

/** Each service process, the instances of one app told apart by a number (order#2). */
function watchedServices(services: readonly RunningService[]): WatchedProcess[] {
  const seen = new Map<string, number>();
  const total = (app: string) => services.filter((service) => service.app === app).length;
  return services.map((service) => {
    const index = (seen.get(service.app) ?? 0) + 1;
    seen.set(service.app, index);
    return { name: total(service.app) > 1 ? `${service.app}#${index}` : service.app, pid: service.pid };
  });
}

/**
 * Every 2 s, each scaled service's consumer lag as its first instance reports it
 * (`messaging_consumer_lag`, every partition of every topic its group reads, summed); keeps the most.
 */
function sampleLag(stack: OrderStack): { max: Record<ScaledApp, number>; stop(): void } {
  const max = Object.fromEntries(scaledApps.map((app) => [app, 0])) as Record<ScaledApp, number>;
  const sample = async () => {
    for (const app of scaledApps) {
      const [first] = stack.instances[app];
      if (!first) continue;
      const text = await fetch(`${first.operationsUrl}/metrics`, { signal: AbortSignal.timeout(5000) })
        .then((response) => response.text())
        .catch(() => '');
      const lag = text
        .split('\n')
        .filter((line) => line.startsWith('messaging_consumer_lag{'))
        .reduce((sum, line) => sum + Number(line.slice(line.lastIndexOf(' ') + 1)), 0);
      max[app] = Math.max(max[app], lag);
    }
  };
  let sampling = Promise.resolve();
  const timer = setInterval(() => {
    sampling = sampling.then(sample);
  }, 2000);
  return { max, stop: () => clearInterval(timer) };
}
