import type { BenchContext } from '../bench-context.ts';
import {
  measureAtRate,
  measureSaturation,
  measureSideBySide,
  warmUp,
  type AtRate,
  type Saturation,
  type Target,
} from '../measure.ts';
import type { RunningService } from '../platform/service-process.ts';
import { benchmarkSku, startCatalogueStack, startGatewayBefore } from '../platform/catalogue-stack.ts';
import {
  recordResponse,
  startRecordedUpstream,
  type RecordedResponse,
} from '../platform/recorded-upstream.ts';
import { comparisonTable, comparisonWarnings } from './comparison-table.ts';
import { expectOk } from './expect-ok.ts';
import type { SuiteReport } from './suite-report.ts';

const path = `/api/products/${benchmarkSku}`;

/**
 * The cost of the gateway hop: the same GET on inventory directly and through the gateway, the
 * same inventory process serving both, the same CPUs for the services on both sides.
 */
export async function gatewaySuite(context: BenchContext): Promise<SuiteReport> {
  context.say('gateway: proxied vs direct');
  // Tracing export off on both sides: this figure is the hop; the tracing suite prices tracing.
  const stack = await startCatalogueStack(context, 'gateway', 'no-export');
  try {
    const { inventory, gateway } = stack;
    const request = { method: 'GET' as const, path, headers: {} };
    const direct: Target = {
      label: 'inventory direct',
      request: { ...request, baseUrl: inventory.baseUrl },
      watched: [{ name: 'inventory', pid: inventory.pid }],
    };
    const proxied: Target = {
      label: 'gateway → inventory',
      request: { ...request, baseUrl: gateway.baseUrl },
      watched: [
        { name: 'gateway', pid: gateway.pid },
        { name: 'inventory', pid: inventory.pid },
      ],
    };
    await expectOk(`${inventory.baseUrl}${path}`);
    await expectOk(`${gateway.baseUrl}${path}`);
    const recorded = await recordResponse(`${inventory.baseUrl}${path}`);
    const { latencyRate, results } = await measureSideBySide(context, [direct, proxied]);
    const [baseline, variant] = results.map(({ target, saturation, atRate }) => ({
      label: target.label,
      saturation,
      atRate,
    }));
    if (!baseline || !variant) throw new Error('gateway: a measurement is missing');
    const refused = await measureRefusedWhileOpen(context, gateway, inventory, latencyRate);
    await gateway.stop();
    const alone = await measureGatewayAlone(context, recorded);
    const aloneMicros = alone.cpuMicrosPerRequest['gateway'] ?? Number.NaN;
    return {
      suite: 'gateway',
      title: `gateway: GET ${path}, proxied vs direct (latencies at ${latencyRate} req/s)`,
      table: comparisonTable(baseline, [{ target: variant, ratioLabel: 'proxied ÷ direct' }]),
      notes: [
        'references (proxied ÷ direct): Envoy ~0.55, HAProxy ~0.46, Node http-proxy ~0.25',
        'both sides on the same service CPUs; every request passes the rate limit, whose tokens come from Redis 20 at a time at these limits',
        `refused while inventory is down and its breaker open (503), at ${refused.achievedRate.toFixed(0)} req/s: ` +
          `p50 ${refused.latency.p50.toFixed(2)} ms, p99 ${refused.latency.p99.toFixed(2)} ms, ` +
          `p99.9 ${refused.latency.p99_9.toFixed(2)} ms, gateway ${refused.cpuMicrosPerRequest['gateway']?.toFixed(0) ?? '?'} µs per refusal`,
        `the gateway alone, in front of inventory's recorded answer (a stand-in on the load generator's CPU), at saturation: ` +
          `${alone.okPerSecond.toFixed(0)} req/s, gateway ${aloneMicros.toFixed(0)} µs per request ` +
          `(${((aloneMicros * alone.okPerSecond) / 10_000).toFixed(0)}% of a core)`,
        ...comparisonWarnings([baseline, variant]),
      ],
      figures: {
        path,
        latencyRate,
        direct: baseline,
        proxied: variant,
        proxiedOverDirect: variant.saturation.okPerSecond / baseline.saturation.okPerSecond,
        refusedWhileOpen: refused,
        gatewayAlone: alone,
      },
    };
  } finally {
    await stack.stop();
  }
}

/**
 * What the gateway spends per request when it is the only service on its CPUs and has them to
 * itself: a fresh gateway in front of a stand-in that replays inventory's answer from the load
 * generator's CPU, driven to saturation. Beside inventory, both processes woken in turn for
 * every request, the gateway costs more per request (docs/benchmark.md).
 */
async function measureGatewayAlone(context: BenchContext, recorded: RecordedResponse): Promise<Saturation> {
  const upstream = await startRecordedUpstream(recorded, context.layout.load);
  try {
    context.say('booting a gateway in front of the recorded answer');
    const gateway = await startGatewayBefore(context, upstream.baseUrl, 'no-export');
    try {
      await expectOk(`${gateway.baseUrl}${path}`);
      const target: Target = {
        label: 'gateway → recorded answer',
        request: { method: 'GET', path, headers: {}, baseUrl: gateway.baseUrl },
        watched: [{ name: 'gateway', pid: gateway.pid }],
      };
      await warmUp(context, target);
      const { collected: _collected, ...saturation } = await measureSaturation(context, target);
      return saturation;
    } finally {
      await gateway.stop();
    }
  } finally {
    await upstream.stop();
  }
}

/**
 * A call the gateway refuses because its upstream is down, end to end: inventory stopped, the
 * gateway's breaker for it opened by the failures that causes, then the same GET at the same rate,
 * every answer a 503 with Retry-After (the breaker suite times the library alone, in process).
 */
async function measureRefusedWhileOpen(
  context: BenchContext,
  gateway: RunningService,
  inventory: RunningService,
  rate: number,
): Promise<AtRate> {
  await inventory.stop();
  const deadline = Date.now() + 60_000;
  while (!(await breakerOpen(gateway))) {
    if (Date.now() > deadline) throw new Error("gateway: inventory's breaker did not open within 60 s");
    await fetch(`${gateway.baseUrl}${path}`).then(
      (response) => response.arrayBuffer(),
      () => undefined,
    );
  }
  const { collected: _collected, ...refused } = await measureAtRate(
    context,
    {
      label: 'gateway, inventory down',
      request: { method: 'GET', path, headers: {}, baseUrl: gateway.baseUrl, measuredStatus: 503 },
      watched: [{ name: 'gateway', pid: gateway.pid }],
    },
    rate,
  );
  return refused;
}

/** Whether the gateway reports inventory's circuit open (`gateway_upstream_circuit_state` 2). */
async function breakerOpen(gateway: RunningService): Promise<boolean> {
  const text = await (await fetch(`${gateway.operationsUrl}/metrics`)).text();
  return text
    .split('\n')
    .some(
      (line) =>
        line.startsWith('gateway_upstream_circuit_state{') &&
        line.includes('upstream="inventory"') &&
        line.endsWith(' 2'),
    );
}
