import { existsSync } from 'node:fs';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { infraPort, proxiedServers } from '../connection-env.ts';
import type { InfraPaths, Progress, ServerRecipe } from '../recipe.ts';

/*
 * Toxiproxy, Shopify's TCP proxy for simulating network conditions, built from the Go module proxy
 * (`go install`; about 10 s with a warm cache). It starts with one proxy in front of each server
 * the services use (connection-env.ts: proxiedServers), so the fault suite can add latency, reset
 * connections or cut them between the services and Kafka, MongoDB, Cassandra and Redis, while the
 * test's own checks still reach the servers directly. Nothing else connects through it.
 */

const VERSION = 'v2.12.0';
const MODULE = 'github.com/Shopify/toxiproxy/v2';

function serverBinary(paths: InfraPaths): string {
  return path.join(paths.installDir, 'bin', 'toxiproxy-server');
}

function proxiesFile(paths: InfraPaths): string {
  return path.join(paths.runDir, 'proxies.json');
}

async function install(paths: InfraPaths, progress: Progress): Promise<void> {
  await rm(paths.installDir, { recursive: true, force: true });
  const bin = path.join(paths.installDir, 'bin');
  await mkdir(bin, { recursive: true });
  progress.step(`building Toxiproxy ${VERSION} from the Go module proxy (go install)`);
  // The module's server command is installed as `server`; it is renamed to say what it is.
  await progress.run('go', ['install', '-trimpath', '-ldflags=-s -w', `${MODULE}/cmd/server@${VERSION}`], {
    env: { GOBIN: bin, GOWORK: 'off', GOFLAGS: '-buildvcs=false' },
  });
  await rename(path.join(bin, 'server'), serverBinary(paths));
}

/** The proxies Toxiproxy creates at its start, enabled and without toxics. */
async function prepare(paths: InfraPaths): Promise<void> {
  await mkdir(paths.runDir, { recursive: true });
  const proxies = proxiedServers().map(({ name, listen, upstream }) => ({
    name,
    listen: `127.0.0.1:${listen}`,
    upstream: `127.0.0.1:${upstream}`,
    enabled: true,
  }));
  await writeFile(proxiesFile(paths), `${JSON.stringify(proxies, undefined, 2)}\n`);
}

/** The API answers and lists every proxy of proxiedServers, each listening. */
async function proxiesListening(): Promise<boolean> {
  try {
    const answer = await fetch(`http://127.0.0.1:${infraPort('TOXIPROXY_PORT')}/proxies`, {
      signal: AbortSignal.timeout(1000),
    });
    if (!answer.ok) return false;
    const proxies = (await answer.json()) as Record<string, { enabled: boolean }>;
    return proxiedServers().every(({ name }) => proxies[name]?.enabled === true);
  } catch {
    return false;
  }
}

export const toxiproxy: ServerRecipe = {
  name: 'toxiproxy',
  version: VERSION,
  ports: () => ({
    api: infraPort('TOXIPROXY_PORT'),
    ...Object.fromEntries(proxiedServers().map(({ name, listen }) => [`${name} proxy`, listen])),
  }),
  isInstalled: async (paths) => existsSync(serverBinary(paths)),
  install,
  prepare,
  launch: (paths) => ({
    command: serverBinary(paths),
    args: ['-host', '127.0.0.1', '-port', String(infraPort('TOXIPROXY_PORT')), '-config', proxiesFile(paths)],
    // Its default level logs every connection and every write; warnings are what matter.
    env: { LOG_LEVEL: process.env.TOXIPROXY_LOG_LEVEL || 'warn' },
    cwd: paths.runDir,
  }),
  isReady: () => proxiesListening(),
  readyTimeoutMs: 10_000,
};
