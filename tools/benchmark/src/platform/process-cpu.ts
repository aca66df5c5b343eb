import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cpuTicksOfStat } from '../cpu-accounting.ts';

/** Clock ticks per second of /proc's utime and stime (USER_HZ, almost always 100). */
export function clockTicksPerSecond(): number {
  try {
    const ticks = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim());
    return Number.isInteger(ticks) && ticks > 0 ? ticks : 100;
  } catch {
    return 100;
  }
}

/** CPU ticks a process has used so far, all its threads included. */
export function cpuTicksOf(pid: number): number {
  return cpuTicksOfStat(readFileSync(`/proc/${pid}/stat`, 'utf8'));
}

export interface WatchedProcess {
  name: string;
  pid: number;
}

/** Ticks of each watched process now, by name. */
export function readTicks(processes: readonly WatchedProcess[]): Map<string, number> {
  return new Map(processes.map(({ name, pid }) => [name, cpuTicksOf(pid)]));
}
