/**
 * A recipe installs one infrastructure server from a package registry and says how to run it.
 * The CLI (cli.ts) owns processes, pid files, port checks and progress; recipes only describe.
 *
 * Runs on Node 24 with type stripping: erasable TypeScript only (no enums, no parameter
 * properties, no namespaces), and relative imports carry their `.ts` extension.
 */

export interface InfraPaths {
  /** Repository root. */
  root: string;
  /** `infra/local/<name>`: checked-in configuration templates for this server. */
  configDir: string;
  /** `<INFRA_HOME>/install/<name>-<version>`: what install() produces; kept across runs. */
  installDir: string;
  /** `<INFRA_HOME>/run/<name>`: data, logs and generated config of this run. */
  runDir: string;
  dataDir: string;
  logDir: string;
}

export interface Progress {
  /** One line of progress: what is being done now. */
  step(message: string): void;
  /** Runs a command, streaming nothing but a heartbeat; throws with the tail of its output on failure. */
  run(command: string, args: string[], options?: { cwd?: string; env?: NodeJS.ProcessEnv }): Promise<string>;
}

export interface LaunchSpec {
  command: string;
  args: string[];
  /** Added to (and overriding) the CLI's own environment, not replacing it. */
  env?: NodeJS.ProcessEnv;
  /** Defaults to runDir. */
  cwd?: string;
}

export interface ServerRecipe {
  name: string;
  version: string;
  /** Ports this server binds, by role, read from the environment with the usual defaults. */
  ports(): Record<string, number>;
  /** True when installDir holds a complete install (so install() is skipped). */
  isInstalled(paths: InfraPaths): Promise<boolean>;
  /** Installs into paths.installDir from a package registry only. Idempotent. */
  install(paths: InfraPaths, progress: Progress): Promise<void>;
  /** One-off preparation of a fresh runDir (format storage, write config). Runs before every start. */
  prepare?(paths: InfraPaths, progress: Progress): Promise<void>;
  /** How to start it in the foreground; the CLI detaches it and records its pid. */
  launch(paths: InfraPaths): LaunchSpec;
  /** Resolves true once a real request is answered (a query, a PING), not merely an open port. */
  isReady(paths: InfraPaths): Promise<boolean>;
  /** Upper bound for readiness after launch, in milliseconds. */
  readyTimeoutMs: number;
}

// Remembers which variable each port came from, so the CLI's "port taken" error can name the
// variable to change without every recipe having to declare it a second time.
const variableByPort = new Map<number, string>();

export function portFromEnv(variable: string, fallback: number): number {
  const raw = process.env[variable];
  const port = raw === undefined || raw === '' ? fallback : Number(raw);
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new Error(`${variable}=${raw} is not a TCP port (1-65535)`);
  }
  variableByPort.set(port, variable);
  return port;
}

/** The environment variable a port was last read from by portFromEnv, if any. */
export function portVariable(port: number): string | undefined {
  return variableByPort.get(port);
}
