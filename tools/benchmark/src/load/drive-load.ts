import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { cpuMicrosPerRequest } from '../cpu-accounting.ts';
import { track } from '../platform/child-registry.ts';
import { pinned } from '../platform/cpu-layout.ts';
import { readTicks, type WatchedProcess } from '../platform/process-cpu.ts';
import type { FromLoadProcess, LoadResult, LoadSpec } from './load-spec.ts';

export interface DrivenLoad {
  result: LoadResult;
  /** CPU µs per answered request of each watched process, by name. */
  cpuMicrosPerRequest: Record<string, number>;
  /** How much of one core the load generator used: near 1, it may have been the bottleneck. */
  loadGeneratorCoreShare: number;
}

export interface DriveOptions {
  /** CPUs for the load process (taskset -c list). */
  cpus?: string;
  /** Processes whose CPU time is read before and after the run. */
  watched: readonly WatchedProcess[];
  ticksPerSecond: number;
}

const loadProcessScript = join(import.meta.dirname, 'load-process.ts');

/** Runs `spec` in a new load process (autocannon) and accounts the CPU time of the watched ones. */
export async function driveLoad(spec: LoadSpec, options: DriveOptions): Promise<DrivenLoad> {
  const [command, ...args] = pinned([process.execPath, loadProcessScript], options.cpus);
  const child = spawn(command as string, args, {
    env: { ...process.env, NODE_OPTIONS: '' },
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
  });
  track(child);
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-10_000)));
  const watched = [...options.watched, { name: 'load generator', pid: child.pid as number }];
  let before = new Map<string, number>();

  const result = await new Promise<LoadResult>((resolve, reject) => {
    child.once('exit', (code, signal) =>
      reject(new Error(`the load process ended (${signal ?? code}) without a result:\n${stderr}`)),
    );
    child.once('error', reject);
    child.on('message', (message: FromLoadProcess) => {
      if (message.type === 'ready') {
        before = readTicks(watched);
        child.send({ type: 'run', spec });
      } else if (message.type === 'result') resolve(message.result);
      else reject(new Error(`the load process failed: ${message.message}`));
    });
  });
  const after = readTicks(watched);
  const answered = result.ok + result.non2xx;
  const delta = (name: string) => (after.get(name) ?? 0) - (before.get(name) ?? 0);
  const cpuPerRequest = Object.fromEntries(
    options.watched.map(({ name }) => [
      name,
      cpuMicrosPerRequest(0, delta(name), options.ticksPerSecond, answered),
    ]),
  );
  return {
    result,
    cpuMicrosPerRequest: cpuPerRequest,
    loadGeneratorCoreShare: delta('load generator') / options.ticksPerSecond / result.durationSeconds,
  };
}
