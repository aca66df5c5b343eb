import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { readTail } from './log-tail.ts';
import { serverPaths } from './paths.ts';
import type { ServerPaths } from './paths.ts';
import { describePortOwner, isPortFree } from './ports.ts';
import { createProgress } from './progress.ts';
import { probeReady, ServerExitedError, waitUntilReady } from './readiness.ts';
import { portVariable } from './recipe.ts';
import type { Progress, ServerRecipe } from './recipe.ts';
import { inspectServerProcess, launchServer, removePidFiles, stopServer } from './server-process.ts';
import { formatPorts, formatSeconds, formatTable } from './table.ts';

export interface UpOptions {
  /**
   * Wipe each started server's run directory (data, logs, generated config) first.
   *
   * Off by default: tests isolate themselves with unique names (topics, keyspaces, collections,
   * key prefixes) instead of relying on empty servers, and Kafka and Cassandra start faster with
   * their storage already formatted. CI and anyone who wants a clean slate pass --fresh or set
   * INFRA_FRESH=1. Redis keeps nothing either way (it runs with --save '' --appendonly no).
   */
  fresh: boolean;
}

interface Target {
  recipe: ServerRecipe;
  paths: ServerPaths;
}

interface Outcome {
  recipe: ServerRecipe;
  pid?: number;
  /** What the summary's "ready" column says. */
  readiness: string;
  failure?: string;
}

const LOG_TAIL_ON_FAILURE = 30;

/** Brings the servers up; on any failure stops what this invocation started. Resolves true on success. */
export async function up(recipes: ServerRecipe[], options: UpOptions): Promise<boolean> {
  const abort = new AbortController();
  const interrupt = () => {
    console.error('interrupted: stopping what this run started');
    abort.abort();
  };
  process.once('SIGINT', interrupt);
  process.once('SIGTERM', interrupt);
  try {
    return await bringUp(recipes, options, abort);
  } finally {
    process.off('SIGINT', interrupt);
    process.off('SIGTERM', interrupt);
  }
}

async function bringUp(
  recipes: ServerRecipe[],
  options: UpOptions,
  abort: AbortController,
): Promise<boolean> {
  const outcomes = new Map<ServerRecipe, Outcome>();
  const toStart: Target[] = [];
  for (const recipe of recipes) {
    const paths = serverPaths(recipe);
    const alreadyRunning = await checkAlreadyRunning(recipe, paths, options.fresh);
    if (alreadyRunning) outcomes.set(recipe, alreadyRunning);
    else toStart.push({ recipe, paths });
  }

  // Every port is checked before any install starts, so a clash fails in a second, not after a build.
  const clashes = await findPortClashes(toStart);
  if (clashes.length > 0) {
    for (const clash of clashes) console.error(clash);
    return false;
  }

  const startedHere: Target[] = [];
  await Promise.all(
    toStart.map(async (target) => {
      try {
        outcomes.set(target.recipe, await startServer(target, options, abort.signal, startedHere));
      } catch (error) {
        if (abort.signal.aborted) {
          outcomes.set(target.recipe, { recipe: target.recipe, readiness: 'not started: run aborted' });
          return;
        }
        const failure = (error as Error).message;
        outcomes.set(target.recipe, { recipe: target.recipe, readiness: 'FAILED', failure });
        console.error(`[${target.recipe.name}] failed: ${failure.split('\n')[0]} (details below)`);
        abort.abort();
      }
    }),
  );

  const succeeded = !abort.signal.aborted && [...outcomes.values()].every((outcome) => !outcome.failure);
  if (!succeeded) await stopStartedServers(startedHere, outcomes);
  printSummary(recipes.map((recipe) => outcomes.get(recipe) as Outcome));
  return succeeded;
}

/** An outcome when the server already runs (so it is left alone), undefined when it must be started. */
async function checkAlreadyRunning(
  recipe: ServerRecipe,
  paths: ServerPaths,
  fresh: boolean,
): Promise<Outcome | undefined> {
  const state = await inspectServerProcess(recipe, paths);
  if (state.kind === 'stale') {
    console.log(`[${recipe.name}] removing stale pid file (${state.reason})`);
    await removePidFiles(paths);
    return undefined;
  }
  if (state.kind === 'stopped') return undefined;
  if (fresh) {
    console.log(`[${recipe.name}] --fresh: stopping pid ${state.pid} to start over with empty data`);
    await stopServer(recipe, paths);
    return undefined;
  }
  const wanted = formatPorts(recipe.ports());
  if (state.ports && formatPorts(state.ports) !== wanted) {
    const failure = `already running (pid ${state.pid}) on ${formatPorts(state.ports)}, but the environment now asks for ${wanted}. Run: npm run infra:down -- ${recipe.name}`;
    return { recipe, pid: state.pid, readiness: 'FAILED', failure };
  }
  if (await probeReady(recipe, paths)) {
    console.log(`[${recipe.name}] already running (pid ${state.pid}) and ready`);
    return { recipe, pid: state.pid, readiness: 'already running' };
  }
  // Probably still starting from another `up`; give it its usual time rather than starting a second one.
  console.log(`[${recipe.name}] running (pid ${state.pid}) but not ready yet; waiting`);
  try {
    const waitedMs = await waitUntilReady(recipe, paths);
    return { recipe, pid: state.pid, readiness: `already running, ready after ${formatSeconds(waitedMs)}` };
  } catch (error) {
    const failure = `pid ${state.pid} runs but is not ready: ${(error as Error).message}. Try: npm run infra:down -- ${recipe.name}`;
    return { recipe, pid: state.pid, readiness: 'FAILED', failure };
  }
}

async function findPortClashes(targets: Target[]): Promise<string[]> {
  const clashes: string[] = [];
  const claimedBy = new Map<number, string>();
  for (const { recipe, paths } of targets) {
    for (const [role, port] of Object.entries(recipe.ports())) {
      const variable = portVariable(port);
      const howToMove = variable
        ? `Stop it, or choose a free port with ${variable}=<port> (set it for every infra command and for the apps).`
        : 'Stop it, or change the port this recipe reads.';
      const otherServer = claimedBy.get(port);
      if (otherServer) {
        clashes.push(
          `${recipe.name}: port ${port} (${role}) is also configured for ${otherServer}. ${howToMove}`,
        );
        continue;
      }
      claimedBy.set(port, recipe.name);
      if (await isPortFree(port)) continue;
      const owner = describePortOwner(port) ?? 'a process this tool cannot see';
      const answersLikeUs = (await probeReady(recipe, paths))
        ? ` It answers like ${recipe.name}: a ${recipe.name} not started by this tool is already running there.`
        : '';
      clashes.push(
        `${recipe.name}: port ${port} (${role}${variable ? `, ${variable}` : ''}) is already in use by ${owner}.${answersLikeUs} ${howToMove}`,
      );
    }
  }
  return clashes;
}

async function startServer(
  target: Target,
  options: UpOptions,
  signal: AbortSignal,
  startedHere: Target[],
): Promise<Outcome> {
  const { recipe, paths } = target;
  const progress = createProgress(recipe.name);
  await installIfMissing(recipe, paths, progress);
  throwIfAborted(signal);

  if (options.fresh) await rm(paths.runDir, { recursive: true, force: true });
  await mkdir(paths.dataDir, { recursive: true });
  await mkdir(paths.logDir, { recursive: true });
  if (recipe.prepare) {
    progress.step('preparing run directory');
    await recipe.prepare(paths, progress);
  }
  throwIfAborted(signal);

  const launched = await launchServer(recipe, paths);
  startedHere.push(target);
  progress.step(
    `started pid ${launched.pid} (log: ${displayPath(paths.logFile)}); waiting up to ${recipe.readyTimeoutMs / 1000}s until it answers`,
  );
  try {
    const readyMs = await waitUntilReady(recipe, paths, { exited: launched.exited, signal });
    progress.step(`ready in ${formatSeconds(readyMs)}`);
    return { recipe, pid: launched.pid, readiness: formatSeconds(readyMs) };
  } catch (error) {
    if (signal.aborted) throw error;
    const tail = readTail(paths.logFile, LOG_TAIL_ON_FAILURE).replace(/^\n+/, '');
    const detail = error instanceof ServerExitedError ? error.message : `${(error as Error).message}`;
    throw new Error(`${detail}; last lines of ${paths.logFile}:\n${indent(tail)}`);
  }
}

async function installIfMissing(recipe: ServerRecipe, paths: ServerPaths, progress: Progress): Promise<void> {
  if (await recipe.isInstalled(paths)) return;
  const began = performance.now();
  progress.step(`installing ${recipe.name} ${recipe.version} into ${paths.installDir}`);
  await mkdir(path.dirname(paths.installDir), { recursive: true });
  await recipe.install(paths, progress);
  if (!(await recipe.isInstalled(paths)))
    throw new Error('install finished but the install is still incomplete');
  progress.step(`installed ${recipe.name} ${recipe.version} in ${formatSeconds(performance.now() - began)}`);
}

async function stopStartedServers(
  startedHere: Target[],
  outcomes: Map<ServerRecipe, Outcome>,
): Promise<void> {
  await Promise.all(
    startedHere.map(async ({ recipe, paths }) => {
      const outcome = await stopServer(recipe, paths);
      console.error(`[${recipe.name}] ${outcome} (this run started it)`);
      const previous = outcomes.get(recipe);
      if (previous && !previous.failure)
        outcomes.set(recipe, { ...previous, readiness: 'stopped: run aborted' });
    }),
  );
}

function printSummary(outcomes: Outcome[]): void {
  const rows = outcomes.map((outcome) => [
    outcome.recipe.name,
    outcome.recipe.version,
    formatPorts(outcome.recipe.ports()),
    outcome.pid ? String(outcome.pid) : '-',
    outcome.readiness,
  ]);
  console.log(`\n${formatTable(['server', 'version', 'ports', 'pid', 'ready'], rows)}`);
  const failures = outcomes.filter((outcome) => outcome.failure);
  for (const failure of failures) console.error(`\n${failure.recipe.name}: ${failure.failure}`);
}

/** Relative to the working directory when inside it, absolute otherwise. */
function displayPath(file: string): string {
  const relative = path.relative(process.cwd(), file);
  return relative.startsWith('..') ? file : relative;
}

function throwIfAborted(signal: AbortSignal): void {
  if (signal.aborted) throw new Error('not started: another server failed or the run was interrupted');
}

function indent(text: string): string {
  return text
    .split('\n')
    .map((line) => `    ${line}`)
    .join('\n');
}
