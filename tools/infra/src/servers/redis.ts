import { execFile } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import { promisify } from 'node:util';
import { defaultPorts } from '../connection-env.ts';
import { portFromEnv } from '../recipe.ts';
import type { InfraPaths, Progress, ServerRecipe } from '../recipe.ts';

/*
 * Redis from Debian's own packages, unpacked with `dpkg -x` into the install directory rather than
 * installed: no root-owned files, no maintainer scripts, and above all no system service that
 * would grab 6379 behind our back. Library dependencies the machine lacks (libjemalloc2, liblzf1
 * on a bare bookworm) are unpacked next to it and found through LD_LIBRARY_PATH.
 */

// Bookworm ships 7.0.x and patches it in place through security updates; the install takes
// whatever 7.0.x apt offers and records the exact Debian version in the marker file.
const VERSION = '7.0';
const PACKAGES = ['redis-server', 'redis-tools'] as const;
// redis-tools holds the real binary (redis-check-rdb); redis-server only adds a symlink to it.
const PACKAGE_WITH_BINARY = 'redis-tools';
const INSTALLED_MARKER = '.installed';

const run = promisify(execFile);

function redisPort(): number {
  return portFromEnv('REDIS_PORT', defaultPorts.REDIS_PORT);
}

function serverBinary(paths: InfraPaths): string {
  return path.join(paths.installDir, 'usr', 'bin', 'redis-server');
}

/** Directories under installDir where unpacked shared libraries may sit (multiarch or not). */
function libraryDirs(paths: InfraPaths): string[] {
  const dirs: string[] = [];
  for (const base of ['usr/lib', 'lib']) {
    const dir = path.join(paths.installDir, base);
    if (!existsSync(dir)) continue;
    dirs.push(dir);
    for (const entry of readdirSync(dir)) {
      if (entry.endsWith('-linux-gnu')) dirs.push(path.join(dir, entry));
    }
  }
  return dirs;
}

function libraryEnv(paths: InfraPaths): NodeJS.ProcessEnv {
  const dirs = [...libraryDirs(paths), process.env.LD_LIBRARY_PATH].filter(Boolean);
  return dirs.length > 0 ? { LD_LIBRARY_PATH: dirs.join(':') } : {};
}

async function install(paths: InfraPaths, progress: Progress): Promise<void> {
  const downloadDir = `${paths.installDir}.download`;
  await rm(paths.installDir, { recursive: true, force: true });
  await rm(downloadDir, { recursive: true, force: true });
  await mkdir(downloadDir, { recursive: true });

  await ensureAptKnowsPackages(progress);
  const missingLibraries = await missingLibraryPackages(PACKAGE_WITH_BINARY);
  const packages = [...PACKAGES, ...missingLibraries];
  progress.step(`downloading ${packages.join(', ')} (apt-get download)`);
  await progress.run('apt-get', [...aptSandboxOptions(), 'download', ...packages], { cwd: downloadDir });

  progress.step(`unpacking into ${paths.installDir} (dpkg -x)`);
  for (const deb of (await readdir(downloadDir)).filter((file) => file.endsWith('.deb'))) {
    await progress.run('dpkg', ['-x', path.join(downloadDir, deb), paths.installDir]);
  }

  await assertLibrariesResolve(paths, progress);
  const versionLine = (
    await progress.run(serverBinary(paths), ['--version'], { env: libraryEnv(paths) })
  ).trim();
  if (!/ v=7\.0\./.test(versionLine))
    throw new Error(`expected Redis ${VERSION}.x, the package says: ${versionLine}`);
  await writeFile(
    path.join(paths.installDir, INSTALLED_MARKER),
    `${versionLine}\npackages: ${packages.join(' ')}\n`,
  );
  await rm(downloadDir, { recursive: true, force: true });
}

/** A fresh machine may never have run `apt-get update`; then apt knows no candidate at all. */
async function ensureAptKnowsPackages(progress: Progress): Promise<void> {
  const [binaryPackage] = PACKAGES;
  if (await hasInstallCandidate(binaryPackage)) return;
  if (process.getuid?.() !== 0) {
    throw new Error(
      `apt knows no candidate for ${binaryPackage}; run \`sudo apt-get update\` once and retry`,
    );
  }
  progress.step('apt has no package lists yet: apt-get update');
  await progress.run('apt-get', ['update']);
  if (!(await hasInstallCandidate(binaryPackage)))
    throw new Error(`apt still knows no candidate for ${binaryPackage}`);
}

async function hasInstallCandidate(packageName: string): Promise<boolean> {
  const { stdout } = await run('apt-cache', ['policy', packageName]);
  return /Candidate: (?!\(none\))\S+/.test(stdout);
}

/** The `lib*` packages the binary's package depends on that dpkg does not list as installed. */
async function missingLibraryPackages(packageName: string): Promise<string[]> {
  const { stdout } = await run('apt-cache', ['depends', '--important', packageName]);
  const libraries = [...stdout.matchAll(/^\s*\|?(?:Pre)?Depends:\s*<?([^\s>]+)>?/gm)]
    .map((match) => match[1] ?? '')
    .filter((name) => name.startsWith('lib'));
  const installed = await installedPackages(libraries);
  return libraries.filter((name) => !installed.has(name));
}

async function installedPackages(names: string[]): Promise<Set<string>> {
  if (names.length === 0) return new Set();
  let output: string;
  try {
    output = (await run('dpkg-query', ['-W', '-f=${Package} ${db:Status-Status}\n', ...names])).stdout;
  } catch (error) {
    // dpkg-query exits 1 when some names are unknown to it, still printing the ones it knows.
    output = (error as { stdout?: string }).stdout ?? '';
  }
  return new Set(
    output
      .split('\n')
      .map((line) => line.split(' '))
      .filter(([, status]) => status === 'installed')
      .map(([name]) => (name ?? '').replace(/:.*$/, '')),
  );
}

function aptSandboxOptions(): string[] {
  // As root apt downloads as the `_apt` user, which cannot write into our root-owned directory.
  return process.getuid?.() === 0 ? ['-o', 'APT::Sandbox::User=root'] : [];
}

async function assertLibrariesResolve(paths: InfraPaths, progress: Progress): Promise<void> {
  const report = await progress.run('ldd', [serverBinary(paths)], { env: libraryEnv(paths) });
  const unresolved = report.split('\n').filter((line) => line.includes('not found'));
  if (unresolved.length > 0) {
    throw new Error(
      `redis-server needs libraries neither the machine nor its packages provide:\n${unresolved.join('\n')}`,
    );
  }
}

/** Sends PING in RESP and expects +PONG; a LOADING or auth error means not ready (or not ours). */
function answersPing(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    let reply = '';
    const finish = (ready: boolean) => {
      socket.destroy();
      resolve(ready);
    };
    socket.setTimeout(2_000, () => finish(false));
    socket.once('error', () => finish(false));
    socket.once('close', () => finish(false));
    socket.once('connect', () => socket.write('*1\r\n$4\r\nPING\r\n'));
    socket.setEncoding('utf8').on('data', (chunk: string) => {
      reply += chunk;
      if (reply.includes('\r\n')) finish(reply.startsWith('+PONG\r\n'));
    });
  });
}

export const redis: ServerRecipe = {
  name: 'redis',
  version: VERSION,
  ports: () => ({ redis: redisPort() }),
  isInstalled: async (paths) =>
    existsSync(path.join(paths.installDir, INSTALLED_MARKER)) && existsSync(serverBinary(paths)),
  install,
  launch: (paths) => ({
    command: serverBinary(paths),
    args: [
      '--bind',
      '127.0.0.1',
      '--port',
      String(redisPort()),
      // Test data only: nothing is written to disk, so every start is empty.
      '--save',
      '',
      '--appendonly',
      'no',
      '--dir',
      paths.dataDir,
      '--daemonize',
      'no',
      '--supervised',
      'no',
      '--logfile',
      '',
    ],
    env: libraryEnv(paths),
  }),
  isReady: () => answersPing(redisPort()),
  readyTimeoutMs: 10_000,
};
