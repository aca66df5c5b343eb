import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { freePorts } from './service-process';

/** The runner `npm start` starts, as built. */
const runner = join(__dirname, '../../../dist/apps/embedded/src/main.js');

/** Every app of the embedded profile. */
export const embeddedApps = [
  'gateway',
  'auth',
  'inventory',
  'notification',
  'payment-provider-sim',
  'payment',
  'order',
];

export interface EmbeddedPlatform {
  child: ChildProcess;
  /** Each app's port, by app name. */
  ports: Record<string, number>;
  /** The gateway's base URL. */
  gateway: string;
  /** The gateway's operations port: its /healthz, /readyz and /metrics. */
  gatewayOperations: string;
  /** Everything printed on stdout so far. */
  output(): string;
  /** Resolves with everything printed once `marker` appears (or matches) on stdout. */
  waitForOutput(marker: string | RegExp, timeoutMs?: number): Promise<string>;
}

/**
 * Starts `npm start`'s runner (build it first) with every app on a free port; `env` adds to or
 * overrides its environment. Wait for `waitForOutput('the platform is up')` before calling it.
 */
export async function startEmbedded(env: NodeJS.ProcessEnv = {}): Promise<EmbeddedPlatform> {
  // Chosen together: chosen one by one, two apps once got the same port (EADDRINUSE).
  const [gatewayOperationsPort, ...appPorts] = await freePorts(embeddedApps.length + 1);
  const ports: Record<string, number> = Object.fromEntries(
    embeddedApps.map((app, index) => [app, appPorts[index] as number]),
  );
  const variables: NodeJS.ProcessEnv = {
    ...process.env,
    PORT: '1',
    GATEWAY_OPS_PORT: String(gatewayOperationsPort),
  };
  for (const app of embeddedApps) {
    const name = app.toUpperCase().replaceAll('-', '_');
    variables[`${name}_PORT`] = String(ports[app]);
    variables[`${name === 'PAYMENT_PROVIDER_SIM' ? 'PROVIDER' : name}_URL`] =
      `http://127.0.0.1:${ports[app]}`;
  }
  const child = spawn(process.execPath, [runner], {
    env: { ...variables, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return {
    child,
    ports,
    gateway: `http://127.0.0.1:${ports['gateway']}`,
    gatewayOperations: `http://127.0.0.1:${gatewayOperationsPort}`,
    output: () => output,
    waitForOutput: (marker, timeoutMs = 60_000) =>
      new Promise((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`no "${String(marker)}" within ${timeoutMs} ms:\n${output}`)),
          timeoutMs,
        );
        const look = () => {
          if (typeof marker === 'string' ? !output.includes(marker) : !marker.test(output)) return;
          clearTimeout(timer);
          child.stdout?.off('data', look);
          resolve(output);
        };
        child.stdout?.on('data', look);
        child.once('exit', (code) =>
          reject(new Error(`runner exited with ${code} before "${String(marker)}":\n${output}`)),
        );
        look();
      }),
  };
}

/** SIGINT, as Ctrl-C; resolves with the exit code. */
export async function stopEmbedded(platform: EmbeddedPlatform): Promise<number | null> {
  if (platform.child.exitCode !== null) return platform.child.exitCode;
  platform.child.kill('SIGINT');
  const [code] = (await once(platform.child, 'exit')) as [number | null];
  return code;
}
