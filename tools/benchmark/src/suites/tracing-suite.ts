import type { BenchContext } from '../bench-context.ts';
import { measureInTurn, type OpenableTarget, type Target } from '../measure.ts';
import { benchmarkSku, startCatalogueStack } from '../platform/catalogue-stack.ts';
import { tracingModeLabels, type TracingMode } from '../platform/service-env.ts';
import { comparisonTable, comparisonWarnings } from './comparison-table.ts';
import { expectOk } from './expect-ok.ts';
import type { SuiteReport } from './suite-report.ts';

const path = `/api/products/${benchmarkSku}`;
const modes: TracingMode[] = ['no-export', 'export', 'sdk-disabled'];

/**
 * The price of tracing: the same gateway → inventory GET on three stacks that differ only in
 * their tracing variables, each started on its own for each of its measurements, so that the idle
 * services of the other two take no CPU from it.
 */
export async function tracingSuite(context: BenchContext): Promise<SuiteReport> {
  context.say('tracing: on vs off');
  const openables = modes.map((mode): OpenableTarget => ({
    label: tracingModeLabels[mode],
    async open(pass) {
      const stack = await startCatalogueStack(context, `tracing-${mode}-${pass}`, mode);
      try {
        const { gateway, inventory } = stack;
        await expectOk(`${gateway.baseUrl}${path}`);
        const target: Target = {
          label: tracingModeLabels[mode],
          request: { baseUrl: gateway.baseUrl, method: 'GET', path, headers: {} },
          watched: [
            { name: 'gateway', pid: gateway.pid },
            { name: 'inventory', pid: inventory.pid },
          ],
        };
        return { target, close: () => stack.stop() };
      } catch (error) {
        await stack.stop();
        throw error;
      }
    },
  }));
  const { latencyRate, results } = await measureInTurn(context, openables);
  const [off, on, disabled] = results.map(({ target, saturation, atRate }) => ({
    label: target.label,
    saturation,
    atRate,
  }));
  if (!off || !on || !disabled) throw new Error('tracing: a measurement is missing');
  return {
    suite: 'tracing',
    title: `tracing: GET ${path} through the gateway (latencies at ${latencyRate} req/s)`,
    table: comparisonTable(off, [
      { target: on, ratioLabel: 'on ÷ off' },
      { target: disabled, ratioLabel: 'SDK disabled ÷ off' },
    ]),
    notes: [
      'on: 100% sampled, BatchSpanProcessor, OTLP/HTTP to Jaeger; off: same instrumentation, no-op span processor',
      'on ÷ SDK disabled is the figure to set beside published ones (Node auto-instrumentation loses 63–81% on hello-world)',
      `on ÷ SDK disabled here: ${(on.saturation.okPerSecond / disabled.saturation.okPerSecond).toFixed(2)}×`,
      'spans beyond the batch queue (8192) are dropped, not waited for: at saturation "on" may export fewer than it makes',
      ...comparisonWarnings([off, on, disabled]),
    ],
    figures: {
      path,
      latencyRate,
      off,
      on,
      sdkDisabled: disabled,
      onOverOff: on.saturation.okPerSecond / off.saturation.okPerSecond,
      onOverSdkDisabled: on.saturation.okPerSecond / disabled.saturation.okPerSecond,
    },
  };
}
