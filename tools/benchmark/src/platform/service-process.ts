import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import type { BenchContext } from '../bench-context.ts';
import { track } from './child-registry.ts';
import { pinned } from './cpu-layout.ts';
import { distMainOf } from './workspace.ts';

/** A built service running as its own process, as in the local profile (cf. @platform/testing's startServiceProcess). */
export interface RunningService {
  app: string;
  baseUrl: string;
  /** Where its /readyz and /metrics answer: its operations port where it has one (the gateway), else baseUrl. */
  operationsUrl: string;
  pid: number;
  /** The last lines it printed, for failure messages. */
  output(): string;
  stop(): Promise<void>;
}

const OUTPUT_KEPT = 20_000;

export async function freePort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Node's options for a service process: a V8 CPU profile per process when --cpu-prof names a folder. */
export function profilingArgs(cpuProfileDir: string | undefined, app: string): string[] {
  return cpuProfileDir === undefined
    ? []
    : ['--cpu-prof', `--cpu-prof-dir=${cpuProfileDir}`, `--cpu-prof-name=${app}.${Date.now()}.cpuprofile`];
}

/** How a run starts its services: on the services' CPUs when pinned, profiled when --cpu-prof names a folder. */
export function serviceProcessOptions(context: BenchContext): { cpus?: string; cpuProfileDir?: string } {
  return {
    ...(context.layout.services === undefined ? {} : { cpus: context.layout.services }),
    ...(context.options.cpuProfileDir === undefined ? {} : { cpuProfileDir: context.options.cpuProfileDir }),
  };
}

/** Starts `dist/apps/<app>/src/main.js` (on `cpus` when given) and resolves once its /readyz answers 200
 * (on its operations port, OPS_PORT, where it has one). */
export async function startService(
  app: string,
  env: Record<string, string>,
  options: { cpus?: string; timeoutMs?: number; cpuProfileDir?: string } = {},
): Promise<RunningService> {
  const port = await freePort();
  const operationsPort = await freePort();
  const [command, ...args] = pinned(
    [process.execPath, ...profilingArgs(options.cpuProfileDir, app), distMainOf(app)],
    options.cpus,
  );
  const child = spawnTracked([command as string, ...args], {
    // Per-request log lines would be part of what is measured: the services log warnings only.
    LOG_LEVEL: 'warn',
    ...env,
    PORT: String(port),
    // Only the gateway reads it: its /readyz and /metrics are on that port, not the public one.
    OPS_PORT: String(operationsPort),
    HOST: '127.0.0.1',
  });
  const baseUrl = `http://127.0.0.1:${port}`;
  const service: RunningService = {
    app,
    baseUrl,
    operationsUrl: baseUrl,
    pid: child.pid,
    output: child.output,
    stop: child.stop,
  };
  const deadline = Date.now() + (options.timeoutMs ?? 60_000);
  let lastAnswer = 'no answer yet';
  while (Date.now() < deadline) {
    if (child.exitCode() !== null)
      throw new Error(`${app} exited with ${child.exitCode()} while starting:\n${child.output()}`);
    for (const operationsUrl of [`http://127.0.0.1:${operationsPort}`, baseUrl]) {
      try {
        const response = await fetch(`${operationsUrl}/readyz`, { signal: AbortSignal.timeout(2000) });
        if (response.ok) return { ...service, operationsUrl };
        if (response.status !== 404) lastAnswer = `${response.status} ${await response.text()}`;
      } catch (error) {
        if (operationsUrl === baseUrl) lastAnswer = error instanceof Error ? error.message : String(error);
      }
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  await service.stop();
  throw new Error(`${app} was not ready in time (last /readyz: ${lastAnswer}):\n${child.output()}`);
}

/** A child process of the benchmark: killed if the benchmark dies, its last output kept. */
export interface TrackedProcess {
  pid: number;
  output(): string;
  exitCode(): number | null;
  /** SIGTERM, then SIGKILL after 15 s; resolves once it exited. */
  stop(): Promise<void>;
}

export function spawnTracked([command, ...args]: string[], env: Record<string, string>): TrackedProcess {
  const child = spawn(command as string, args, {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  track(child);
  let printed = '';
  const keep = (chunk: Buffer) => {
    printed = (printed + chunk.toString()).slice(-OUTPUT_KEPT);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = once(child, 'exit');
  return {
    pid: child.pid as number,
    output: () => printed,
    exitCode: () => child.exitCode,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const killer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(killer);
    },
  };
}
