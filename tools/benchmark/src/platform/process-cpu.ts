import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { cpuTicksOfStat, reapedChildrenTicksOfStat } from '../cpu-accounting.ts';
import { workspaceRoot } from './workspace.ts';

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
  /** Count the processes it started as well (a server's workers). */
  tree?: boolean;
}

/** Ticks of each watched process now, by name; a process that is gone counts 0. */
export function readTicks(processes: readonly WatchedProcess[]): Map<string, number> {
  const children = processes.some(({ tree }) => tree) ? childrenByParent() : new Map<number, number[]>();
  const ticksOf = ({ pid, tree }: WatchedProcess): number => {
    try {
      return tree ? treeTicksOf(pid, children) : cpuTicksOf(pid);
    } catch {
      return 0;
    }
  };
  return new Map(processes.map((watched) => [watched.name, ticksOf(watched)]));
}

/** A process, the children it has reaped, and every live process under it. */
function treeTicksOf(pid: number, children: Map<number, number[]>): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  let ticks = cpuTicksOfStat(stat) + reapedChildrenTicksOfStat(stat);
  for (const child of children.get(pid) ?? []) {
    try {
      ticks += treeTicksOf(child, children);
    } catch {
      // Exited since the listing: its ticks move to its parent's reaped children.
    }
  }
  return ticks;
}

function childrenByParent(): Map<number, number[]> {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const parent = Number(
        stat
          .slice(stat.lastIndexOf(')') + 1)
          .trim()
          .split(/\s+/)[1],
      );
      children.set(parent, [...(children.get(parent) ?? []), Number(entry)]);
    } catch {
      // Gone since the listing.
    }
  }
  return children;
}

/**
 * The servers of `npm run infra:up` that run now, each with the processes it started, named
 * after the server: what a benchmark's services wait on, counted beside them.
 */
export function infraServerProcesses(env: Record<string, string | undefined>): WatchedProcess[] {
  const runDir = join(env['INFRA_HOME'] || join(workspaceRoot, '.infra'), 'run');
  let servers: string[];
  try {
    servers = readdirSync(runDir);
  } catch {
    return [];
  }
  return servers.flatMap((server) => {
    try {
      const pid = Number(readFileSync(join(runDir, server, 'pid'), 'utf8').trim());
      readFileSync(`/proc/${pid}/stat`);
      return [{ name: server, pid, tree: true }];
    } catch {
      return [];
    }
  });
}
