import { existsSync } from 'node:fs';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import {
  prometheusBinariesIn,
  prometheusBuildTags,
  prometheusLdflags,
  prometheusPackages,
  prometheusVersion,
} from './prometheus-release.ts';
import { localTargets, prometheusConfig } from './prometheus-config.ts';
import { portFromEnv } from '../recipe.ts';
import type { InfraPaths, Progress, ServerRecipe } from '../recipe.ts';

/*
 * Prometheus and promtool, built by `go install` from the Go module proxy (the release and its
 * pins: tools/infra/src/servers/prometheus-release.ts). Listens on loopback only, scrapes the local
 * profile's services on their default ports (docs/observability.md) and loads the alerting and
 * recording rules of infra/monitoring/rules from the working tree, so a rule edited there is
 * what a restart loads.
 * Without the UI assets (built with npm upstream, not part of the module), the web UI answers 500;
 * the HTTP API (/api/v1/query, /api/v1/rules, /api/v1/alerts, /api/v1/targets) is all there.
 */

const INSTALLED_MARKER = '.installed';
const CONFIG_FILE = 'prometheus.yml';

// GOWORK: a go.work further up must not pull this build into someone's workspace. GOFLAGS: a
// developer's -mod=vendor (or the like) would make `go install pkg@version` refuse to run.
const GO_ENV: NodeJS.ProcessEnv = { GOWORK: 'off', GOFLAGS: '-buildvcs=false' };

function prometheusPort(): number {
  return portFromEnv('PROMETHEUS_PORT', 9090);
}

async function install(paths: InfraPaths, progress: Progress): Promise<void> {
  await rm(paths.installDir, { recursive: true, force: true });
  const binDir = path.join(paths.installDir, 'bin');
  await mkdir(binDir, { recursive: true });
  progress.step(
    `go install ${prometheusPackages.map((target) => target.replace(/^.*\/cmd\//, 'cmd/')).join(' ')} ` +
      `(Prometheus ${prometheusVersion}, tags ${prometheusBuildTags.join(',')}): downloads ~180 modules ` +
      'and compiles; about 3 minutes on 2 cold cores, seconds with a warm Go build cache',
  );
  await progress.run(
    'go',
    [
      'install',
      '-trimpath',
      `-tags=${prometheusBuildTags.join(',')}`,
      `-ldflags=${prometheusLdflags}`,
      ...prometheusPackages,
    ],
    { cwd: paths.installDir, env: { ...GO_ENV, GOBIN: binDir } },
  );
  const binaries = prometheusBinariesIn(paths.installDir);
  const version = (await progress.run(binaries.prometheus, ['--version'])).split('\n')[0] ?? '';
  if (!version.includes(prometheusVersion))
    throw new Error(`the built prometheus says "${version}", expected ${prometheusVersion}`);
  const goVersion = (await progress.run('go', ['version'])).trim();
  // Written last: an interrupted install is redone rather than half-used.
  await writeFile(
    path.join(paths.installDir, INSTALLED_MARKER),
    `${prometheusPackages.join(' ')}\n${version}\n${goVersion}\n`,
  );
}

/** Writes prometheus.yml into runDir: the local services' default ports, the working tree's rules. */
async function prepare(paths: InfraPaths): Promise<void> {
  await mkdir(paths.runDir, { recursive: true });
  await writeFile(
    path.join(paths.runDir, CONFIG_FILE),
    prometheusConfig({
      targets: localTargets(),
      ruleFiles: [path.join(paths.root, 'infra/monitoring/rules/*.yml')],
      scrapeInterval: '10s',
      evaluationInterval: '10s',
    }),
  );
}

async function answersReady(port: number): Promise<boolean> {
  try {
    const response = await fetch(`http://127.0.0.1:${port}/-/ready`, { signal: AbortSignal.timeout(2_000) });
    return response.status === 200;
  } catch {
    return false;
  }
}

export const prometheus: ServerRecipe = {
  name: 'prometheus',
  version: prometheusVersion,
  ports: () => ({ http: prometheusPort() }),
  isInstalled: async (paths) => {
    const binaries = prometheusBinariesIn(paths.installDir);
    return (
      existsSync(path.join(paths.installDir, INSTALLED_MARKER)) &&
      existsSync(binaries.prometheus) &&
      existsSync(binaries.promtool)
    );
  },
  install,
  prepare,
  launch: (paths) => ({
    command: prometheusBinariesIn(paths.installDir).prometheus,
    args: [
      `--config.file=${path.join(paths.runDir, CONFIG_FILE)}`,
      `--storage.tsdb.path=${paths.dataDir}`,
      '--storage.tsdb.retention.time=3d',
      `--web.listen-address=127.0.0.1:${prometheusPort()}`,
    ],
    cwd: paths.runDir,
  }),
  isReady: () => answersReady(prometheusPort()),
  readyTimeoutMs: 30_000,
};
