import type { BenchmarkOptions } from './args.ts';
import type { CpuLayout } from './platform/cpu-layout.ts';

/** What every suite needs: the options, where to run things, and a way to say what it is doing. */
export interface BenchContext {
  options: BenchmarkOptions;
  layout: CpuLayout;
  ticksPerSecond: number;
  /** Short and unique per run: names the databases, keyspaces and consumer groups it creates. */
  runId: string;
  /** Prints one progress line. */
  say(line: string): void;
  /** Registers cleanup (stop a process, drop a database) to run at the end, latest first. */
  onCleanup(step: () => Promise<void>): void;
}

/** min(3, duration) seconds of unreported load before each measured one: JIT, caches and pools warm. */
export function warmUpSecondsOf(options: BenchmarkOptions): number {
  return Math.min(3, options.durationSeconds);
}
