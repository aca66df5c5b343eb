import { execFileSync } from 'node:child_process';
import { availableParallelism, cpus, loadavg, release, totalmem } from 'node:os';

/** The machine a run measured, printed beside the figures: they mean little without it. */
export interface Machine {
  cpuModel: string;
  cores: number;
  node: string;
  kernel: string;
  memoryGiB: number;
  /** 1-minute load average before the run: other work on the machine skews every figure. */
  loadAverageBefore: number;
}

export function describeMachine(): Machine {
  return {
    cpuModel: cpus()[0]?.model.trim() ?? 'unknown',
    cores: availableParallelism(),
    node: process.version,
    kernel: release(),
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    loadAverageBefore: loadavg()[0] ?? Number.NaN,
  };
}

export function tasksetAvailable(): boolean {
  try {
    execFileSync('taskset', ['-V'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

export function formatMachine(machine: Machine, loadAverageAfter: number): string {
  return (
    `machine: ${machine.cpuModel}, ${machine.cores} cores, ${machine.memoryGiB} GiB, Linux ${machine.kernel}, ` +
    `Node ${machine.node}; load average ${machine.loadAverageBefore.toFixed(2)} before, ${loadAverageAfter.toFixed(2)} after`
  );
}

/**
 * A warning when other work kept the machine busy as the run began. The load average after is not
 * used: the run's own services and load generator raise it; overlapping runs of the platform are
 * reported per suite (other-runs-guard.ts).
 */
export function busyMachineWarning(machine: Machine): string | undefined {
  return machine.loadAverageBefore > machine.cores / 2
    ? `warning: the machine was busy as the run began (load average ${machine.loadAverageBefore.toFixed(1)} on ` +
        `${machine.cores} cores): other work skews every figure; compare ratios, and rerun on a quiet machine`
    : undefined;
}
