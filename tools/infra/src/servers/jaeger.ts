import { cp, mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { defaultPorts } from '../connection-env.ts';
import { portFromEnv } from '../recipe.ts';
import type { InfraPaths, Progress, ServerRecipe } from '../recipe.ts';

/*
 * Jaeger v2 (an OpenTelemetry Collector distribution) built from the Go module proxy.
 *
 * Module v1.76.0 is the v2.13.0 release. `go install …/cmd/jaeger@v1.76.0` is refused because its
 * go.mod has a replace directive, and the proxy offers no later main-branch commit, so the
 * release's own module is copied out of the module cache and built as the main module, where
 * the replace and upstream's complete go.sum both apply. (A go.mod of ours repeating the replace
 * would need a fresh go.sum, and the checksum database behind the proxy does not answer for some
 * of its collector-contrib modules.) The copy is deleted afterwards.
 * The module has no UI assets (a git submodule upstream): the /api/ routes answer, while 16686/
 * serves a placeholder page saying the UI was not compiled in.
 */

const VERSION = 'v2.13.0';
const MODULE = 'github.com/jaegertracing/jaeger';
const MODULE_VERSION = 'v1.76.0';
const INSTALLED_MARKER = '.installed';
const CONFIG_FILE = 'config.yaml';

// A go.work further up would pull the copy into someone else's workspace.
const GO_ENV: NodeJS.ProcessEnv = { GOWORK: 'off' };

function jaegerPorts() {
  return {
    otlpGrpc: portFromEnv('JAEGER_OTLP_GRPC_PORT', defaultPorts.JAEGER_OTLP_GRPC_PORT),
    otlpHttp: portFromEnv('JAEGER_OTLP_HTTP_PORT', defaultPorts.JAEGER_OTLP_HTTP_PORT),
    query: portFromEnv('JAEGER_QUERY_PORT', defaultPorts.JAEGER_QUERY_PORT),
    // The query extension always serves gRPC too; nothing here uses it, but it must not collide.
    queryGrpc: portFromEnv('JAEGER_QUERY_GRPC_PORT', 16685),
  };
}

function serverBinary(paths: InfraPaths): string {
  return path.join(paths.installDir, 'bin', 'jaeger');
}

/** Downloads the module through the proxy (or finds it in the module cache) and returns its directory. */
async function downloadModule(paths: InfraPaths, progress: Progress): Promise<string> {
  const output = await progress.run('go', ['mod', 'download', '-json', `${MODULE}@${MODULE_VERSION}`], {
    cwd: paths.installDir,
    env: GO_ENV,
  });
  const info = JSON.parse(output) as { Dir?: string; Error?: string };
  if (info.Error || !info.Dir)
    throw new Error(`go mod download ${MODULE}@${MODULE_VERSION}: ${info.Error ?? 'no Dir in its answer'}`);
  return info.Dir;
}

function versionLdflags(): string {
  // Upstream's Makefile stamps the version the same way, so `jaeger version` names the release.
  const stamp = (name: string, value: string) => `-X ${MODULE}/internal/version.${name}=${value}`;
  return ['-s -w', stamp('latestVersion', VERSION)].join(' ');
}

async function install(paths: InfraPaths, progress: Progress): Promise<void> {
  await rm(paths.installDir, { recursive: true, force: true });
  await mkdir(path.join(paths.installDir, 'bin'), { recursive: true });

  progress.step(`downloading ${MODULE}@${MODULE_VERSION} (go mod download)`);
  const moduleDir = await downloadModule(paths, progress);

  // The module cache is read-only; a writable copy can be built and later deleted.
  const sourceDir = path.join(paths.installDir, 'src');
  await cp(moduleDir, sourceDir, { recursive: true });
  await progress.run('chmod', ['-R', 'u+w', sourceDir]);

  const partial = `${serverBinary(paths)}.partial`;
  progress.step(`building Jaeger ${VERSION} (go build ./cmd/jaeger; several minutes on 2 cold cores)`);
  await progress.run(
    'go',
    ['build', '-buildvcs=false', '-trimpath', `-ldflags=${versionLdflags()}`, '-o', partial, './cmd/jaeger'],
    {
      cwd: sourceDir,
      env: GO_ENV,
    },
  );
  await rename(partial, serverBinary(paths));
  await rm(sourceDir, { recursive: true, force: true });

  const goVersion = (await progress.run('go', ['version'])).trim();
  await writeFile(
    path.join(paths.installDir, INSTALLED_MARKER),
    `${MODULE} ${MODULE_VERSION} (Jaeger ${VERSION})\n${goVersion}\n`,
  );
}

/** Writes config.yaml into runDir with this run's ports; an unknown placeholder is a template bug. */
async function prepare(paths: InfraPaths): Promise<void> {
  const ports = jaegerPorts();
  const values: Record<string, number> = {
    OTLP_GRPC_PORT: ports.otlpGrpc,
    OTLP_HTTP_PORT: ports.otlpHttp,
    QUERY_PORT: ports.query,
    QUERY_GRPC_PORT: ports.queryGrpc,
  };
  const template = await readFile(path.join(paths.configDir, CONFIG_FILE), 'utf8');
  const config = template.replace(/\{\{(\w+)\}\}/g, (placeholder, name: string) => {
    if (!(name in values)) throw new Error(`${CONFIG_FILE}: unknown placeholder ${placeholder}`);
    return String(values[name]);
  });
  await mkdir(paths.runDir, { recursive: true });
  await writeFile(path.join(paths.runDir, CONFIG_FILE), config);
}

/** The query API lists services once storage and the query extension are up (an empty list at first). */
async function answersServices(port: number): Promise<boolean> {
  try {
    const response = await fetch(`http://127.0.0.1:${port}/api/services`, {
      signal: AbortSignal.timeout(2_000),
    });
    if (response.status !== 200) return false;
    const body = (await response.json()) as { data?: unknown };
    return Array.isArray(body.data) || body.data === null;
  } catch {
    return false;
  }
}

export const jaeger: ServerRecipe = {
  name: 'jaeger',
  version: VERSION,
  ports: () => {
    const ports = jaegerPorts();
    return {
      'otlp-grpc': ports.otlpGrpc,
      'otlp-http': ports.otlpHttp,
      query: ports.query,
      'query-grpc': ports.queryGrpc,
    };
  },
  isInstalled: async (paths) =>
    existsSync(path.join(paths.installDir, INSTALLED_MARKER)) && existsSync(serverBinary(paths)),
  install,
  prepare,
  launch: (paths) => ({
    command: serverBinary(paths),
    args: ['--config', path.join(paths.runDir, CONFIG_FILE)],
    cwd: paths.runDir,
  }),
  isReady: () => answersServices(jaegerPorts().query),
  readyTimeoutMs: 20_000,
};
