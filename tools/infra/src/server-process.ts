import { spawn } from 'node:child_process';
import { closeSync, openSync, writeSync } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { ServerPaths } from './paths.ts';
import { isAlive, readCommandLine, readProcessInfo, sendSignal, serverProcessTree } from './processes.ts';
import type { ServerRecipe } from './recipe.ts';

export type ServerProcessState =
  | { kind: 'stopped' }
  | { kind: 'stale'; pid: number; reason: string }
  | { kind: 'running'; pid: number; ports?: Record<string, number> };

interface LaunchRecord {
  pid: number;
  startTicks: number;
  command: string;
  args: string[];
  /** The ports it was started with, to notice when the environment now asks for others. */
  ports: Record<string, number>;
  startedAt: string;
}

/** Reads the pid file and decides whether it names a live process that this tool launched. */
export async function inspectServerProcess(
  recipe: ServerRecipe,
  paths: ServerPaths,
): Promise<ServerProcessState> {
  const pid = await readPidFile(paths.pidFile);
  if (pid === undefined) return { kind: 'stopped' };
  if (!isAlive(pid)) return { kind: 'stale', pid, reason: 'process is gone' };
  const record = await readLaunchRecord(paths.launchRecordFile);
  if (record && record.pid === pid) {
    // Same pid and same start time means the very process we launched; anything else is a reuse.
    return readProcessInfo(pid)?.startTicks === record.startTicks
      ? { kind: 'running', pid, ports: record.ports }
      : { kind: 'stale', pid, reason: `pid ${pid} now belongs to another process` };
  }
  // No launch record (pid file written by hand or an older run): fall back to the command line.
  let commandName: string;
  try {
    commandName = path.basename(recipe.launch(paths).command);
  } catch (error) {
    return {
      kind: 'stale',
      pid,
      reason: `cannot tell whether pid ${pid} is ours: ${(error as Error).message}`,
    };
  }
  return readCommandLine(pid).includes(commandName)
    ? { kind: 'running', pid }
    : { kind: 'stale', pid, reason: `pid ${pid} is not ${commandName}` };
}

export interface LaunchedServer {
  pid: number;
  /** Resolves with a description once the process exits; used to fail fast while waiting for readiness. */
  exited: Promise<string>;
}

/** Starts the recipe's command in its own process group, output appended to the log, and records it. */
export async function launchServer(recipe: ServerRecipe, paths: ServerPaths): Promise<LaunchedServer> {
  const spec = recipe.launch(paths);
  await mkdir(paths.logDir, { recursive: true });
  const log = openSync(paths.logFile, 'a');
  writeSync(
    log,
    `\n=== ${new Date().toISOString()} starting ${recipe.name} ${recipe.version}: ${spec.command} ${spec.args.join(' ')}\n`,
  );
  try {
    const child = spawn(spec.command, spec.args, {
      cwd: spec.cwd ?? paths.runDir,
      env: { ...process.env, ...spec.env },
      // A process group of its own: it outlives this CLI, ignores the terminal's Ctrl-C, and
      // `down` can signal it together with any children it forks.
      detached: true,
      stdio: ['ignore', log, log],
    });
    const spawned = new Promise<number>((resolve, reject) => {
      child.once('spawn', () => resolve(child.pid as number));
      child.once('error', (error) => reject(new Error(`could not start ${spec.command}: ${error.message}`)));
    });
    const exited = new Promise<string>((resolve) => {
      child.once('exit', (code, signal) =>
        resolve(signal ? `killed by ${signal}` : `exited with code ${code}`),
      );
    });
    const pid = await spawned;
    child.unref();
    const record: LaunchRecord = {
      pid,
      startTicks: readProcessInfo(pid)?.startTicks ?? -1,
      command: spec.command,
      args: spec.args,
      ports: recipe.ports(),
      startedAt: new Date().toISOString(),
    };
    await writeFile(paths.launchRecordFile, `${JSON.stringify(record, null, 2)}\n`);
    await writeFile(paths.pidFile, `${pid}\n`);
    return { pid, exited };
  } finally {
    closeSync(log);
  }
}

export type StopOutcome = 'not running' | 'stale pid file removed' | 'stopped' | 'killed';

const STOP_GRACE_MS = 20_000;
const KILL_WAIT_MS = 5_000;

/** Stops the server only if the pid file names a process we launched; otherwise cleans up the pid file. */
export async function stopServer(
  recipe: ServerRecipe,
  paths: ServerPaths,
  graceMs = STOP_GRACE_MS,
): Promise<StopOutcome> {
  const state = await inspectServerProcess(recipe, paths);
  if (state.kind === 'stopped') return 'not running';
  if (state.kind === 'stale') {
    await removePidFiles(paths);
    return 'stale pid file removed';
  }
  const outcome = await terminateProcessTree(state.pid, graceMs);
  await removePidFiles(paths);
  return outcome;
}

async function terminateProcessTree(leaderPid: number, graceMs: number): Promise<'stopped' | 'killed'> {
  signalTree(leaderPid, 'SIGTERM');
  if (await waitUntilGone(leaderPid, graceMs)) return 'stopped';
  signalTree(leaderPid, 'SIGKILL');
  if (await waitUntilGone(leaderPid, KILL_WAIT_MS)) return 'killed';
  throw new Error(`pid ${leaderPid} survived SIGKILL`);
}

function signalTree(leaderPid: number, signal: NodeJS.Signals): void {
  sendSignal(-leaderPid, signal);
  for (const pid of serverProcessTree(leaderPid)) sendSignal(pid, signal);
}

async function waitUntilGone(leaderPid: number, timeoutMs: number): Promise<boolean> {
  const deadline = performance.now() + timeoutMs;
  while (performance.now() < deadline) {
    if (serverProcessTree(leaderPid).length === 0) return true;
    await sleep(100);
  }
  return serverProcessTree(leaderPid).length === 0;
}

export async function removePidFiles(paths: ServerPaths): Promise<void> {
  await rm(paths.pidFile, { force: true });
  await rm(paths.launchRecordFile, { force: true });
}

async function readPidFile(file: string): Promise<number | undefined> {
  try {
    const pid = Number((await readFile(file, 'utf8')).trim());
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

async function readLaunchRecord(file: string): Promise<LaunchRecord | undefined> {
  try {
    return JSON.parse(await readFile(file, 'utf8')) as LaunchRecord;
  } catch {
    return undefined;
  }
}

export function sleep(milliseconds: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, milliseconds));
}
