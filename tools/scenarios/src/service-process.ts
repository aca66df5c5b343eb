/**
 * A service of the local profile as a scenario handles it from outside, the way an operator would
 * on Linux: found by the port it listens on, SIGKILLed, and started again exactly as it was (its
 * command line, environment and working directory, read from /proc).
 */
import { spawn } from 'node:child_process';
import { openSync, mkdirSync, readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';

export interface RunningService {
  pid: number;
  argv: string[];
  env: NodeJS.ProcessEnv;
  cwd: string;
}

/** The process listening on `port` (loopback or any address), from /proc/net/tcp{,6} and /proc/<pid>/fd. */
export function serviceListeningOn(port: number): RunningService {
  const hexPort = port.toString(16).toUpperCase().padStart(4, '0');
  const inodes = new Set<string>();
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    for (const line of readFileSync(table, 'utf8').split('\n').slice(1)) {
      const fields = line.trim().split(/\s+/);
      // local_address is ADDR:PORT in hex; state 0A is LISTEN; field 9 is the socket's inode.
      if (fields[1]?.endsWith(`:${hexPort}`) && fields[3] === '0A' && fields[9]) inodes.add(fields[9]);
    }
  }
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      for (const fd of readdirSync(`/proc/${entry}/fd`)) {
        const target = readlinkSync(`/proc/${entry}/fd/${fd}`);
        if (inodes.has(/^socket:\[(\d+)\]$/.exec(target)?.[1] ?? '')) return describe(Number(entry));
      }
    } catch {
      // Another user's process, or one that just exited.
    }
  }
  throw new Error(`no process of this user listens on port ${port}`);
}

function describe(pid: number): RunningService {
  const nulSeparated = (file: string) =>
    readFileSync(`/proc/${pid}/${file}`, 'utf8').split('\0').filter(Boolean);
  const env = Object.fromEntries(
    nulSeparated('environ').map((pair) => [
      pair.slice(0, pair.indexOf('=')),
      pair.slice(pair.indexOf('=') + 1),
    ]),
  );
  return { pid, argv: nulSeparated('cmdline'), env, cwd: readlinkSync(`/proc/${pid}/cwd`) };
}

/** SIGKILL: no graceful shutdown, whatever the service was doing is cut off. Resolves once it is gone. */
export async function kill(service: RunningService): Promise<void> {
  process.kill(service.pid, 'SIGKILL');
  while (isAlive(service.pid)) await new Promise((resolve) => setTimeout(resolve, 20));
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Starts it again as it was, detached (it outlives the scenario); its output goes to `logDir`. Returns the new pid. */
export function restart(service: RunningService, logDir: string): number {
  mkdirSync(logDir, { recursive: true });
  const log = openSync(join(logDir, `restarted-${service.pid}.log`), 'a');
  const [command, ...args] = service.argv;
  if (!command) throw new Error(`process ${service.pid} had no command line`);
  const child = spawn(command, args, {
    cwd: service.cwd,
    env: service.env,
    detached: true,
    stdio: ['ignore', log, log],
  });
  child.unref();
  if (child.pid === undefined) throw new Error(`could not start ${command} again`);
  return child.pid;
}
