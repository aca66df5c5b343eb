import type { BenchContext } from '../bench-context.ts';
import { measureSideBySide, type Target } from '../measure.ts';
import { benchmarkSku, startCatalogueStack } from '../platform/catalogue-stack.ts';
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
    const { latencyRate, results } = await measureSideBySide(context, [direct, proxied]);
    const [baseline, variant] = results.map(({ target, saturation, atRate }) => ({
      label: target.label,
      saturation,
      atRate,
    }));
    if (!baseline || !variant) throw new Error('gateway: a measurement is missing');
    return {
      suite: 'gateway',
      title: `gateway: GET ${path}, proxied vs direct (latencies at ${latencyRate} req/s)`,
      table: comparisonTable(baseline, [{ target: variant, ratioLabel: 'proxied ÷ direct' }]),
      notes: [
        'references (proxied ÷ direct): Envoy ~0.55, HAProxy ~0.46, Node http-proxy ~0.25',
        'both sides on the same service CPUs; the gateway checks its Redis rate limit on every request',
        ...comparisonWarnings([baseline, variant]),
      ],
      figures: {
        path,
        latencyRate,
        direct: baseline,
        proxied: variant,
        proxiedOverDirect: variant.saturation.okPerSecond / baseline.saturation.okPerSecond,
      },
    };
  } finally {
    await stack.stop();
  }
}
