import { randomBytes } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { loadavg } from 'node:os';
import type { BenchmarkOptions, SuiteName } from './args.ts';
import type { BenchContext } from './bench-context.ts';
import { formatSection } from './format.ts';
import { busyMachineWarning, describeMachine, formatMachine, tasksetAvailable } from './machine.ts';
import { killChildrenOnExit } from './platform/child-registry.ts';
import { cpuLayoutOf, type CpuLayout } from './platform/cpu-layout.ts';
import { infraTargetsOf, requireInfrastructure, type InfraServer } from './platform/infrastructure.ts';
import { otherRunsNow, waitForOtherRuns } from './platform/other-runs-guard.ts';
import { clockTicksPerSecond } from './platform/process-cpu.ts';
import { appExists, buildStateOf } from './platform/workspace.ts';
import { notMeasuredYet, suites } from './suites/suite-catalogue.ts';
import { skippedReport, type SuiteReport } from './suites/suite-report.ts';

/** Why a suite cannot run with what is in the workspace, or undefined when it can. */
function skipReasonOf(name: SuiteName): string | undefined {
  const absent = suites[name].apps.filter((app) => !appExists(app));
  if (absent.length > 0) return `apps/${absent.join(', apps/')} not in the workspace yet`;
  const { missing } = buildStateOf(suites[name].apps);
  if (missing.length > 0) return `not built: ${missing.join(', ')} (run npm run build first)`;
  return undefined;
}

function layoutLine(layout: CpuLayout): string {
  return layout.services === undefined
    ? `not pinned (${layout.unpinnedBecause}): services and load generator share every CPU`
    : `services on CPU ${layout.services}, load generator on CPU ${layout.load} (taskset) for the gateway and tracing figures; the order figures run unpinned`;
}

/** Runs the selected suites and prints the report; resolves with the exit code. */
export async function runBenchmark(options: BenchmarkOptions): Promise<number> {
  killChildrenOnExit();
  const started = performance.now();
  const say = (line: string) =>
    process.stderr.write(`[${((performance.now() - started) / 1000).toFixed(0).padStart(4)} s] ${line}\n`);
  const machine = describeMachine();
  const layout = cpuLayoutOf(machine.cores, options.pin, tasksetAvailable());
  const cleanups: (() => Promise<void>)[] = [];
  const context: BenchContext = {
    options,
    layout,
    ticksPerSecond: clockTicksPerSecond(),
    runId: randomBytes(3).toString('hex'),
    say,
    onCleanup: (step) => cleanups.push(step),
  };

  const servers = [...new Set(options.suites.flatMap((name) => suites[name].servers))] as InfraServer[];
  say(`checking the local infrastructure (${servers.join(', ')})`);
  await requireInfrastructure(infraTargetsOf(process.env, servers));
  const stale = buildStateOf(
    [...new Set(options.suites.flatMap((name) => suites[name].apps))].filter(appExists),
  ).stale;
  if (stale.length > 0)
    say(`warning: dist/ of ${stale.join(', ')} is older than the sources (npm run build)`);

  const reports: SuiteReport[] = [];
  let exitCode = 0;
  try {
    for (const name of options.suites) {
      const skip = skipReasonOf(name);
      if (skip !== undefined) {
        say(`${name}: skipped, ${skip}`);
        reports.push(skippedReport(name, suites[name].title, skip));
        continue;
      }
      try {
        const before = await waitForOtherRuns(say);
        const report = await suites[name].run(context);
        const after = before ?? otherRunsNow();
        reports.push(after === undefined ? report : { ...report, notes: [...report.notes, after] });
      } catch (error) {
        exitCode = 1;
        const message = error instanceof Error ? error.message : String(error);
        say(`${name}: FAILED: ${message}`);
        reports.push(skippedReport(name, suites[name].title, `FAILED: ${message.split('\n')[0]}`));
      }
    }
  } finally {
    for (const step of cleanups.reverse())
      await step().catch((error: unknown) => say(`cleanup failed: ${String(error)}`));
  }

  const loadAverageAfter = loadavg()[0] ?? Number.NaN;
  const busy = busyMachineWarning(machine);
  const header = [
    `benchmark run ${context.runId}, ${new Date().toISOString()}`,
    formatMachine(machine, loadAverageAfter),
    ...(busy === undefined ? [] : [busy]),
    `cpus: ${layoutLine(layout)}`,
    `each measurement: ${options.durationSeconds} s after a warm-up, ${options.connections} connections (autocannon, its own process); services log at warn, tracing export off outside the tracing figure`,
    'latencies: at half the lowest saturation rate of the targets compared, held with autocannon connectionRate (one instance per connection, started spread over a second so bursts do not line up),',
    "  corrected for coordinated omission with an expected interval of 1000/rate ms per connection (autocannon's own correction, ceil(1/rate) = 1 ms, is off)",
  ];
  const body = reports.map((report) => formatSection(report.title, report.table, report.notes));
  const footer = [
    'not measured yet (docs/benchmark.md#not-measured-yet): ',
    ...notMeasuredYet.map((item) => `  - ${item}`),
  ];
  console.log(['', ...header, '', body.join('\n\n'), '', ...footer].join('\n'));

  if (options.jsonFile !== undefined) {
    const figures = {
      runId: context.runId,
      date: new Date().toISOString(),
      machine,
      loadAverageAfter,
      options,
      layout,
      suites: Object.fromEntries(reports.map((report) => [report.suite, report.figures])),
    };
    await mkdir(dirname(options.jsonFile), { recursive: true });
    await writeFile(options.jsonFile, `${JSON.stringify(figures, null, 2)}\n`);
    say(`figures written to ${options.jsonFile}`);
  }
  return exitCode;
}
