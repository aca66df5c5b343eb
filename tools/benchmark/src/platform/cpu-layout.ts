/**
 * Which CPUs the services and the load generator are pinned to (taskset -c lists). The load
 * generator gets the last CPU to itself, the services share the others, so that the gateway
 * comparison has equal cores on both sides: inventory alone, or gateway and inventory together,
 * on the same CPUs.
 */
export interface CpuLayout {
  services?: string;
  load?: string;
  /** Why nothing is pinned, when nothing is. */
  unpinnedBecause?: string;
}

export function cpuLayoutOf(cpuCount: number, pinAsked: boolean, tasksetAvailable: boolean): CpuLayout {
  if (!pinAsked) return { unpinnedBecause: '--no-pin' };
  if (!tasksetAvailable) return { unpinnedBecause: 'taskset is not installed' };
  if (cpuCount < 2) return { unpinnedBecause: 'one CPU only' };
  const last = cpuCount - 1;
  return { services: last === 1 ? '0' : `0-${last - 1}`, load: String(last) };
}

/** The command line that starts `argv` on `cpus` (taskset keeps the pid: it execs the command). */
export function pinned(argv: string[], cpus: string | undefined): string[] {
  return cpus === undefined ? argv : ['taskset', '-c', cpus, ...argv];
}
