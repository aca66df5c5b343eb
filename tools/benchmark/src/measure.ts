import { warmUpSecondsOf, type BenchContext } from './bench-context.ts';
import { correctForCoordinatedOmission, summarizeLatencies, type LatencySummary } from './latency.ts';
import { driveLoad } from './load/drive-load.ts';
import type { LoadResult, LoadSpec } from './load/load-spec.ts';
import type { WatchedProcess } from './platform/process-cpu.ts';

/** The request a measurement sends, without the how-long and how-hard. */
export type RequestShape = Omit<LoadSpec, 'durationSeconds' | 'connections' | 'ratePerSecond'>;

export interface Saturation {
  okPerSecond: number;
  ok: number;
  non2xx: number;
  errors: number;
  cpuMicrosPerRequest: Record<string, number>;
  loadGeneratorCoreShare: number;
}

export interface AtRate {
  targetRate: number;
  achievedRate: number;
  /** Achieved at least 95% of the target without errors: otherwise the latencies mean little. */
  rateHeld: boolean;
  /** Corrected for coordinated omission (see latency.ts). */
  latency: LatencySummary;
  rawLatency: LatencySummary;
  ok: number;
  non2xx: number;
  errors: number;
  cpuMicrosPerRequest: Record<string, number>;
}

/** A target of a comparison: what to call, and which processes serve it. */
export interface Target {
  label: string;
  request: RequestShape;
  watched: WatchedProcess[];
  /** Waits until the work a run left behind is done (orders still in their saga), before the next run. */
  settle?: () => Promise<void>;
}

const specOf = (
  context: BenchContext,
  request: RequestShape,
  durationSeconds: number,
  rate?: number,
): LoadSpec => ({
  ...request,
  durationSeconds,
  connections: context.options.connections,
  ...(rate === undefined ? {} : { ratePerSecond: rate }),
});

const drive = (context: BenchContext, spec: LoadSpec, watched: WatchedProcess[]) =>
  driveLoad(spec, {
    ...(context.layout.load === undefined ? {} : { cpus: context.layout.load }),
    watched,
    ticksPerSecond: context.ticksPerSecond,
  });

function failuresOf(result: LoadResult): string {
  const codes = Object.entries(result.statusCounts)
    .filter(([status]) => !status.startsWith('2'))
    .map(([status, count]) => `${count}× ${status}`);
  return [...codes, ...(result.errors > 0 ? [`${result.errors} connection errors/timeouts`] : [])].join(', ');
}

/** Unreported load at saturation, so the measurement after it meets a warm process. */
export async function warmUp(context: BenchContext, target: Target): Promise<void> {
  const seconds = warmUpSecondsOf(context.options);
  context.say(`warming up ${target.label} (${seconds} s)`);
  await drive(context, specOf(context, target.request, seconds), target.watched);
}

export async function measureSaturation(
  context: BenchContext,
  target: Target,
): Promise<Saturation & { collected: string[] }> {
  const { connections, durationSeconds } = context.options;
  context.say(`measuring ${target.label} at saturation (${connections} connections, ${durationSeconds} s)`);
  const driven = await drive(context, specOf(context, target.request, durationSeconds), target.watched);
  const { result } = driven;
  context.say(
    `  ${Math.round(result.okPerSecond)} req/s` +
      (result.non2xx + result.errors > 0 ? `; failures: ${failuresOf(result)}` : '') +
      `; load generator at ${Math.round(driven.loadGeneratorCoreShare * 100)}% of a core`,
  );
  return {
    okPerSecond: result.okPerSecond,
    ok: result.ok,
    non2xx: result.non2xx,
    errors: result.errors,
    cpuMicrosPerRequest: driven.cpuMicrosPerRequest,
    loadGeneratorCoreShare: driven.loadGeneratorCoreShare,
    collected: result.collected,
  };
}

export async function measureAtRate(
  context: BenchContext,
  target: Target,
  rate: number,
): Promise<AtRate & { collected: string[] }> {
  context.say(
    `measuring ${target.label} at ${Math.round(rate)} req/s (${context.options.durationSeconds} s)`,
  );
  const { result, cpuMicrosPerRequest } = await drive(
    context,
    specOf(context, target.request, context.options.durationSeconds, rate),
    target.watched,
  );
  const targetRate = result.targetRate ?? rate;
  const rateHeld = result.okPerSecond >= 0.95 * targetRate && result.errors === 0 && result.non2xx === 0;
  const latency = summarizeLatencies(
    correctForCoordinatedOmission(result.latenciesMs, result.expectedIntervalMs),
  );
  context.say(
    `  ${Math.round(result.okPerSecond)} of ${targetRate} req/s, p99 ${latency.p99.toFixed(2)} ms` +
      (rateHeld ? '' : ' (rate NOT held)') +
      (result.non2xx + result.errors > 0 ? `; failures: ${failuresOf(result)}` : ''),
  );
  return {
    targetRate,
    achievedRate: result.okPerSecond,
    rateHeld,
    latency,
    rawLatency: summarizeLatencies(result.latenciesMs),
    ok: result.ok,
    non2xx: result.non2xx,
    errors: result.errors,
    cpuMicrosPerRequest,
    collected: result.collected,
  };
}

export interface SideBySide {
  /** Half the lowest saturation rate: every target is measured at this same rate. */
  latencyRate: number;
  results: { target: Target; saturation: Saturation; atRate: AtRate }[];
}

/**
 * Each target warmed up and driven to saturation, then each held at half the lowest of those
 * rates: the same load for all, light enough for every one of them to keep up.
 */
export async function measureSideBySide(
  context: BenchContext,
  targets: readonly Target[],
): Promise<SideBySide> {
  const saturations: Saturation[] = [];
  for (const target of targets) {
    await warmUp(context, target);
    await target.settle?.();
    const { collected: _collected, ...saturation } = await measureSaturation(context, target);
    saturations.push(saturation);
    await target.settle?.();
  }
  const latencyRate = Math.max(1, Math.floor(Math.min(...saturations.map((s) => s.okPerSecond)) / 2));
  const results: SideBySide['results'] = [];
  for (const [index, target] of targets.entries()) {
    const { collected: _collected, ...atRate } = await measureAtRate(context, target, latencyRate);
    await target.settle?.();
    results.push({ target, saturation: saturations[index] as Saturation, atRate });
  }
  return { latencyRate, results };
}

/** A target whose processes run only while it is measured. */
export interface OpenableTarget {
  label: string;
  /** Starts its processes (`pass` names this start: each gets its own databases) and says how to call them. */
  open(pass: 'saturation' | 'at-rate'): Promise<{ target: Target; close(): Promise<void> }>;
}

/**
 * As measureSideBySide, for targets that must not run side by side: idle services still take CPU
 * (Kafka heartbeats, outbox polling), and on shared CPUs that would be taken from the one being
 * measured. Each target is started, warmed up and measured alone, once for its saturation and
 * once more for the held rate.
 */
export async function measureInTurn(
  context: BenchContext,
  openables: readonly OpenableTarget[],
): Promise<SideBySide> {
  const inTurn = async <T>(
    openable: OpenableTarget,
    pass: 'saturation' | 'at-rate',
    run: (target: Target) => Promise<T>,
  ) => {
    const { target, close } = await openable.open(pass);
    try {
      await warmUp(context, target);
      return { target, measured: await run(target) };
    } finally {
      await close();
    }
  };
  const saturations: Saturation[] = [];
  for (const openable of openables) {
    const { measured } = await inTurn(openable, 'saturation', (target) => measureSaturation(context, target));
    const { collected: _collected, ...saturation } = measured;
    saturations.push(saturation);
  }
  const latencyRate = Math.max(1, Math.floor(Math.min(...saturations.map((s) => s.okPerSecond)) / 2));
  const results: SideBySide['results'] = [];
  for (const [index, openable] of openables.entries()) {
    const { target, measured } = await inTurn(openable, 'at-rate', (opened) =>
      measureAtRate(context, opened, latencyRate),
    );
    const { collected: _collected, ...atRate } = measured;
    results.push({ target, saturation: saturations[index] as Saturation, atRate });
  }
  return { latencyRate, results };
}
