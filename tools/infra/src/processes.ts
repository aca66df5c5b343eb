import { readdirSync, readFileSync } from 'node:fs';

/** What /proc/<pid>/stat says about a process; Linux only, like the rest of this tool. */
export interface ProcessInfo {
  pid: number;
  parentPid: number;
  groupId: number;
  state: string;
  /** Start time in clock ticks since boot: with the pid, it tells a reused pid apart. */
  startTicks: number;
}

export function readProcessInfo(pid: number): ProcessInfo | undefined {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  // The command name in parentheses may itself hold spaces or parentheses: split after the last ')'.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return {
    pid,
    state: fields[0] ?? '?',
    parentPid: Number(fields[1]),
    groupId: Number(fields[2]),
    startTicks: Number(fields[19]),
  };
}

/** A zombie has exited already; it only waits for its parent to collect it. */
export function isAlive(pid: number): boolean {
  const info = readProcessInfo(pid);
  return info !== undefined && info.state !== 'Z' && info.state !== 'X';
}

export function listProcesses(): ProcessInfo[] {
  const processes: ProcessInfo[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const info = readProcessInfo(Number(entry));
    if (info) processes.push(info);
  }
  return processes;
}

/**
 * The live processes a server consists of: its process group (we launch it as a group leader)
 * plus any descendants that moved to a group of their own.
 */
export function serverProcessTree(leaderPid: number): number[] {
  const alive = listProcesses().filter((p) => p.state !== 'Z' && p.state !== 'X');
  const members = new Set(
    alive.filter((p) => p.groupId === leaderPid || p.pid === leaderPid).map((p) => p.pid),
  );
  let grew = true;
  while (grew) {
    grew = false;
    for (const p of alive) {
      if (!members.has(p.pid) && members.has(p.parentPid)) {
        members.add(p.pid);
        grew = true;
      }
    }
  }
  return [...members];
}

export function readCommandLine(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim();
  } catch {
    return '';
  }
}

/** Resident memory in KiB (VmRSS), 0 when unknown. */
export function residentKiB(pid: number): number {
  try {
    const match = /^VmRSS:\s+(\d+)\s+kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) : 0;
  } catch {
    return 0;
  }
}

/** Sends a signal, treating "no such process" as already done. */
export function sendSignal(pidOrNegativeGroup: number, signal: NodeJS.Signals): void {
  try {
    process.kill(pidOrNegativeGroup, signal);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
  }
}
