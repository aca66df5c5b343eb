import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';

const workspaceRoot = join(__dirname, '../../..');

/** A built service running as its own OS process, as in the local profile. */
export interface ServiceProcess {
  baseUrl: string;
  /**
   * Where its /healthz, /readyz and /metrics answer: its operations port where it has one (the
   * gateway, given OPS_PORT), else its base URL.
   */
  operationsUrl: string;
  child: ChildProcess;
  /** What the process printed so far (stdout and stderr), for assertions and failure messages. */
  output(): string;
  /**
   * Sends `signal` and resolves with the exit code once the process is gone. A process still there
   * `graceMs` after SIGTERM (its own shutdown bound is 15 s) is SIGKILLed, and the stop rejects.
   */
  stop(signal?: NodeJS.Signals, graceMs?: number): Promise<number | null>;
}

export async function freePort(): Promise<number> {
  return (await freePorts(1))[0] as number;
}

/**
 * Where the harness takes its ports: below the kernel's ephemeral range (32768–60999 on Linux),
 * where every other process's `listen(0)` and outgoing connection take theirs, so none of them can
 * take a port chosen here before its service binds it (a CI run's embedded order service failed to
 * listen with EADDRINUSE on such a port); and above the servers' fixed ports (`tools/infra`, up to
 * 19092).
 */
const harnessPorts = { first: 20_000, last: 26_999 } as const;

/**
 * `count` distinct free ports from `harnessPorts`, chosen at random. Each is held until all are
 * chosen, so they differ from each other and from every port bound now.
 */
export async function freePorts(count: number): Promise<number[]> {
  const servers: Server[] = [];
  const tried = new Set<number>();
  const span = harnessPorts.last - harnessPorts.first + 1;
  while (servers.length < count) {
    if (tried.size === span)
      throw new Error(`no ${count} free ports in ${harnessPorts.first}–${harnessPorts.last}`);
    const port = harnessPorts.first + Math.floor(Math.random() * span);
    if (tried.has(port)) continue;
    tried.add(port);
    const server = createServer().listen(port, '127.0.0.1');
    const bound = await once(server, 'listening').then(
      () => true,
      () => false,
    );
    if (bound) servers.push(server);
  }
  const ports = servers.map((server) => (server.address() as { port: number }).port);
  await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
  return ports;
}

export interface ServiceProcessOptions {
  /** A fixed port, e.g. to restart a killed service where its callers expect it; a free one otherwise. */
  port?: number;
  /**
   * The operations port (OPS_PORT), a free one otherwise. A harness that starts several services
   * chooses every port at once: a port chosen alone is free now, but may be one already promised to
   * a service not yet started.
   */
  operationsPort?: number;
  timeoutMs?: number;
  /**
   * `started` (the default): resolve once the app itself serves, its stores and brokers connected
   * (readiness may still be 503). `live`: as soon as /healthz answers, while the app may be starting.
   */
  until?: 'live' | 'started';
}

/**
 * Starts `dist/apps/<app>/src/main.js` and resolves once its /healthz answers (as started, unless
 * `until: 'live'`), on its operations port (OPS_PORT, a free one, for an app that has one) or on
 * its main port.
 */
export async function startServiceProcess(
  app: string,
  env: NodeJS.ProcessEnv = {},
  options: ServiceProcessOptions = {},
): Promise<ServiceProcess> {
  const port = options.port ?? (await freePort());
  const operationsPort = options.operationsPort ?? (await freePort());
  // A bound, not a wait: a restart on a busy machine, with its broker holding the dead member's partitions, is slow.
  const timeoutMs = options.timeoutMs ?? 120_000;
  const child = spawn(process.execPath, [join(workspaceRoot, 'dist/apps', app, 'src/main.js')], {
    env: {
      ...process.env,
      // Quiet unless asked: E2E_LOG_LEVEL=info keeps what every service did, for reading a failure.
      LOG_LEVEL: process.env['E2E_LOG_LEVEL'] ?? 'warn',
      ...env,
      PORT: String(port),
      OPS_PORT: String(operationsPort),
      HOST: '127.0.0.1',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let printed = '';
  child.stdout?.on('data', (chunk: Buffer) => (printed += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (printed += chunk.toString()));
  const baseUrl = `http://127.0.0.1:${port}`;
  const service: ServiceProcess = {
    baseUrl,
    operationsUrl: baseUrl,
    child,
    output: () => printed,
    async stop(signal = 'SIGTERM', graceMs = 30_000) {
      if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
      const exited = once(child, 'exit') as Promise<[number | null]>;
      child.kill(signal);
      let timer: NodeJS.Timeout | undefined;
      const overdue = new Promise<'overdue'>(
        (resolve) => (timer = setTimeout(() => resolve('overdue'), graceMs)),
      );
      const first = await Promise.race([exited, overdue]).finally(() => clearTimeout(timer));
      if (first !== 'overdue') return first[0];
      child.kill('SIGKILL');
      await exited;
      throw new Error(`${app} was still running ${graceMs} ms after ${signal}; killed:\n${printed}`);
    },
  };
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null)
      throw new Error(`${app} exited with ${child.exitCode} while starting:\n${printed}`);
    for (const candidate of [`http://127.0.0.1:${operationsPort}`, baseUrl]) {
      const live = await fetch(`${candidate}/healthz`).then(
        async (response) => (response.ok ? ((await response.json()) as { starting?: boolean }) : undefined),
        () => undefined,
      );
      if (live && (options.until === 'live' || live.starting !== true))
        return { ...service, operationsUrl: candidate };
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  await service.stop('SIGKILL');
  throw new Error(
    `${app} did not answer /healthz as ${options.until ?? 'started'} within ${timeoutMs} ms:\n${printed}`,
  );
}
