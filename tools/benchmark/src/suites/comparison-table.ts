import { formatAddedMs, formatCount, formatMicros, formatMs, formatRatio, type Table } from '../format.ts';
import type { AtRate, Saturation } from '../measure.ts';

export interface ComparedTarget {
  label: string;
  saturation: Saturation;
  atRate: AtRate;
}

/** CPU per request of each process, in the order they were watched: "gateway 420 µs + inventory 240 µs". */
export function cpuColumnOf(cpuMicrosPerRequest: Record<string, number>): string {
  return Object.entries(cpuMicrosPerRequest)
    .map(([name, micros]) => `${name} ${formatMicros(micros)}`)
    .join(' + ');
}

const totalCpu = (cpuMicrosPerRequest: Record<string, number>) =>
  Object.values(cpuMicrosPerRequest).reduce((sum, micros) => sum + micros, 0);

/**
 * Baseline and variants side by side, then one ratio row per variant: variant ÷ baseline for
 * throughput and total CPU per request, variant − baseline for the latencies (what it adds).
 */
export function comparisonTable(
  baseline: ComparedTarget,
  variants: readonly { target: ComparedTarget; ratioLabel: string }[],
): Table {
  const row = ({ label, saturation, atRate }: ComparedTarget) => [
    label,
    formatCount(saturation.okPerSecond),
    formatMs(atRate.latency.p50),
    formatMs(atRate.latency.p99),
    formatMs(atRate.latency.p99_9),
    `${formatCount(atRate.achievedRate)}${atRate.rateHeld ? '' : ' (not held)'}`,
    cpuColumnOf(saturation.cpuMicrosPerRequest),
  ];
  const ratioRow = (variant: ComparedTarget, ratioLabel: string) => [
    ratioLabel,
    formatRatio(variant.saturation.okPerSecond, baseline.saturation.okPerSecond),
    formatAddedMs(variant.atRate.latency.p50 - baseline.atRate.latency.p50),
    formatAddedMs(variant.atRate.latency.p99 - baseline.atRate.latency.p99),
    formatAddedMs(variant.atRate.latency.p99_9 - baseline.atRate.latency.p99_9),
    '',
    `${formatRatio(totalCpu(variant.saturation.cpuMicrosPerRequest), totalCpu(baseline.saturation.cpuMicrosPerRequest))} CPU/req`,
  ];
  return {
    headers: [
      '',
      'req/s at saturation',
      'p50 ms',
      'p99 ms',
      'p99.9 ms',
      'at req/s',
      'CPU per request (saturation)',
    ],
    rows: [
      row(baseline),
      ...variants.map(({ target }) => row(target)),
      ...variants.map(({ target, ratioLabel }) => ratioRow(target, ratioLabel)),
    ],
  };
}

/** Warnings a reader needs next to the figures: failures, a rate not held, a load generator at its limit. */
export function comparisonWarnings(targets: readonly ComparedTarget[]): string[] {
  const warnings: string[] = [];
  for (const { label, saturation, atRate } of targets) {
    if (saturation.non2xx + saturation.errors > 0)
      warnings.push(
        `${label}: ${saturation.non2xx} non-2xx and ${saturation.errors} errors at saturation (not counted)`,
      );
    if (!atRate.rateHeld)
      warnings.push(
        `${label}: the rate was not held (${formatCount(atRate.achievedRate)} of ${formatCount(atRate.targetRate)} req/s, ` +
          `${atRate.non2xx} non-2xx, ${atRate.errors} errors): its latencies are not comparable`,
      );
    if (saturation.loadGeneratorCoreShare > 0.9)
      warnings.push(
        `${label}: the load generator used ${Math.round(saturation.loadGeneratorCoreShare * 100)}% of its core at ` +
          'saturation: it may be the bottleneck, not the service',
      );
  }
  return warnings;
}
