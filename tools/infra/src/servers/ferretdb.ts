import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { appendFile, cp, mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { defaultPorts } from '../connection-env.ts';
import { portFromEnv } from '../recipe.ts';
import type { InfraPaths, Progress, ServerRecipe } from '../recipe.ts';

/*
 * FerretDB 1.x speaks the MongoDB wire protocol over SQLite files. It is built from the Go module
 * proxy through our own tiny main in infra/local/ferretdb, which embeds FerretDB's public
 * `ferretdb` package: upstream's cmd/ferretdb panics at start without build/version/version.txt,
 * a generated file the published module lacks, and the embedded package skips that check.
 * go.mod/go.sum there pin every dependency; the build uses the user's normal Go caches.
 */

// Must match the FerretDB requirement in infra/local/ferretdb/go.mod (install checks it).
const VERSION = 'v1.24.2';
const MODULE = 'github.com/FerretDB/FerretDB';
const INSTALLED_MARKER = '.installed';

/*
 * FerretDB 1.24 as the proxy serves it is not MongoDB for what our services do: concurrent
 * conditional writes of one document all "win", `$inc` loses increments, and only `{_id}` filters
 * reach an index. infra/local/ferretdb/mongodb-semantics.patch (its header says what and why)
 * serialises each collection's writes and pushes equality down in the form FerretDB's indexes
 * serve; tools/infra/test/mongodb-conformance.int.spec.ts proves the result, and passes on a real
 * MongoDB 7 too. The build applies the patch to a copy of the module and stops if it no longer
 * applies. The installed marker names the patches and the patch file's hash, so a binary built
 * without them, or from another version of the file, is rebuilt.
 */
const PATCH_FILE = 'mongodb-semantics.patch';
const PATCHES = [
  'serialised-writes',
  'indexed-equality',
  'array-element-queries',
  'sqlite-id-column-matches-its-index',
  'numeric-ranges',
];

function mongoPort(): number {
  return portFromEnv('MONGO_PORT', defaultPorts.MONGO_PORT);
}

function serverBinary(paths: InfraPaths): string {
  return path.join(paths.installDir, 'bin', 'ferretdb');
}

/** `file:<dir>/`: FerretDB keeps one SQLite file per database in that directory (the slash matters). */
function sqliteUrl(paths: InfraPaths): string {
  return `file:${paths.dataDir}/`;
}

// A go.work further up would pull our module into someone else's workspace.
const GO_ENV: NodeJS.ProcessEnv = { GOWORK: 'off' };

async function assertGoModPinsVersion(paths: InfraPaths): Promise<void> {
  const goMod = await readFile(path.join(paths.configDir, 'go.mod'), 'utf8');
  if (!new RegExp(`^\\s*(require\\s+)?${MODULE} ${VERSION}$`, 'm').test(goMod)) {
    throw new Error(
      `${paths.configDir}/go.mod does not require ${MODULE} ${VERSION}: update it and the recipe together`,
    );
  }
}

function goBuildArgs(output: string): string[] {
  // -buildvcs=false: the repository's git state is not FerretDB's and may be unreadable (CI checkouts).
  // -trimpath and -s -w: no local paths or symbol tables; the binary shrinks by about a third.
  return ['build', '-buildvcs=false', '-trimpath', '-ldflags=-s -w', '-o', output, '.'];
}

async function install(paths: InfraPaths, progress: Progress): Promise<void> {
  await assertGoModPinsVersion(paths);
  await rm(paths.installDir, { recursive: true, force: true });
  await mkdir(path.join(paths.installDir, 'bin'), { recursive: true });

  const partial = `${serverBinary(paths)}.partial`;
  progress.step(`downloading FerretDB ${VERSION} from the Go module proxy`);
  await progress.run('go', ['mod', 'download', MODULE], { cwd: paths.configDir, env: GO_ENV });
  const buildDir = await patchedBuildTree(paths, progress);
  progress.step(
    `building FerretDB ${VERSION} with the SQLite backend and the patches ${PATCHES.join(', ')} (go build; about 2-3 min on 2 cold cores)`,
  );
  await progress.run('go', goBuildArgs(partial), { cwd: buildDir, env: GO_ENV });
  await rename(partial, serverBinary(paths));
  await rm(buildDir, { recursive: true, force: true });

  const goVersion = (await progress.run('go', ['version'])).trim();
  await writeFile(path.join(paths.installDir, INSTALLED_MARKER), await installedMarker(paths, goVersion));
}

async function installedMarker(paths: InfraPaths, goVersion: string): Promise<string> {
  const patches = PATCHES.map((name) => `patch ${name}\n`).join('');
  return `${MODULE} ${VERSION}\n${patches}${await patchHashLine(paths)}${goVersion}\n`;
}

/** The hash of what the build is made of besides the module: the patch and our main package. */
async function patchHashLine(paths: InfraPaths): Promise<string> {
  const hash = createHash('sha256');
  for (const name of [PATCH_FILE, 'main.go']) hash.update(await readFile(path.join(paths.configDir, name)));
  return `${PATCH_FILE} + main.go sha256 ${hash.digest('hex')}\n`;
}

/**
 * Our main module, with FerretDB replaced by a patched copy of the module the proxy served (Go
 * refuses overlays inside its module cache). Resolves the directory to build in.
 */
async function patchedBuildTree(paths: InfraPaths, progress: Progress): Promise<string> {
  const go = { cwd: paths.configDir, env: GO_ENV };
  const moduleDir = (await progress.run('go', ['list', '-m', '-f', '{{.Dir}}', MODULE], go)).trim();
  const buildDir = path.join(paths.installDir, 'build');
  const copy = path.join(buildDir, 'FerretDB');
  await cp(moduleDir, copy, { recursive: true });
  // The module cache is read-only, and so is the copy until we say otherwise.
  await progress.run('chmod', ['-R', 'u+w', copy]);
  const patch = path.join(paths.configDir, PATCH_FILE);
  // Inside a repository (ours: .infra/ sits in the checkout) git apply would silently skip every
  // path outside the current directory; stopping its search for .git here makes it a plain patch.
  const apply = { cwd: copy, env: { GIT_CEILING_DIRECTORIES: buildDir } };
  try {
    // --check first, so nothing is half applied.
    await progress.run('git', ['apply', '--check', patch], apply);
  } catch (error) {
    throw new Error(
      `${PATCH_FILE} no longer applies to ${MODULE} ${VERSION} (${moduleDir}): review the patch. ${String(error)}`,
    );
  }
  await progress.run('git', ['apply', patch], apply);
  if (!existsSync(path.join(copy, 'internal/handler/write_lock.go')))
    throw new Error(`git apply ${PATCH_FILE} reported success but changed nothing in ${copy}`);
  for (const name of ['main.go', 'go.mod', 'go.sum'])
    await cp(path.join(paths.configDir, name), path.join(buildDir, name));
  await appendFile(path.join(buildDir, 'go.mod'), `\nreplace ${MODULE} => ./FerretDB\n`);
  return buildDir;
}

async function prepare(paths: InfraPaths): Promise<void> {
  // FerretDB does not create the SQLite directory itself.
  await mkdir(paths.dataDir, { recursive: true });
}

/** Connects with the real driver and runs `ping`: only then does the wire protocol answer. */
async function answersPing(port: number): Promise<boolean> {
  // Loaded lazily so the CLI runs for other servers even where node_modules lacks the driver.
  const { MongoClient } = await import('mongodb');
  const client = new MongoClient(`mongodb://127.0.0.1:${port}/`, {
    directConnection: true,
    serverSelectionTimeoutMS: 1_000,
    connectTimeoutMS: 1_000,
  });
  try {
    const reply = await client.db('admin').command({ ping: 1 });
    return reply.ok === 1;
  } catch {
    return false;
  } finally {
    await client.close().catch(() => undefined);
  }
}

export const ferretdb: ServerRecipe = {
  name: 'ferretdb',
  version: VERSION,
  ports: () => ({ mongo: mongoPort() }),
  // A binary built without every patch is built again.
  isInstalled: async (paths) => {
    if (!existsSync(serverBinary(paths))) return false;
    const marker = await readFile(path.join(paths.installDir, INSTALLED_MARKER), 'utf8').catch(() => '');
    return marker.includes(await patchHashLine(paths));
  },
  install,
  prepare,
  launch: (paths) => ({
    command: serverBinary(paths),
    args: [
      `-listen-addr=127.0.0.1:${mongoPort()}`,
      `-sqlite-url=${sqliteUrl(paths)}`,
      // info logs every connection opening and closing. warn keeps unknown commands (dumped in
      // full) and dropped connections; other error replies (11000, NotImplemented) log at neither.
      `-log-level=${process.env.FERRETDB_LOG_LEVEL || 'warn'}`,
      '-log-format=text',
      // FERRETDB_DEBUG_ADDR=127.0.0.1:6060 serves Go's CPU and heap profiles (docs/benchmark.md).
      ...(process.env.FERRETDB_DEBUG_ADDR ? [`-debug-addr=${process.env.FERRETDB_DEBUG_ADDR}`] : []),
    ],
    cwd: paths.runDir,
  }),
  isReady: () => answersPing(mongoPort()),
  readyTimeoutMs: 20_000,
};
