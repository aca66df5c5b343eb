import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { connectionEnv, formatShellExports } from './connection-env.ts';
import { readTail } from './log-tail.ts';
import { infraHome, serverPaths } from './paths.ts';
import { describePortOwner, isPortFree } from './ports.ts';
import { residentKiB, serverProcessTree } from './processes.ts';
import { probeReady } from './readiness.ts';
import type { ServerRecipe } from './recipe.ts';
import { inspectServerProcess, stopServer } from './server-process.ts';
import { serverRecipes } from './servers/index.ts';
import { formatPorts, formatTable } from './table.ts';
import { up } from './up.ts';

const USAGE = `usage: cli.ts <command> [options]

  up [names...] [--fresh]   install if needed and start (all servers when no names); waits until ready
  down [names...]           stop servers this tool started
  status [names...] [--ready]  installed / running / ready / ports / memory; --ready: exit 1 unless all are ready
  logs [name] [--lines N]   last lines of the server logs (default 40)
  env                       connection variables as \`export X=...\` lines

servers: ${serverRecipes.map((recipe) => recipe.name).join(', ')}
environment: INFRA_HOME (default <repo>/.infra), INFRA_FRESH=1 (same as --fresh), <SERVER>_PORT variables`;

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      fresh: { type: 'boolean', default: false },
      ready: { type: 'boolean', default: false },
      lines: { type: 'string', default: '40' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  const [command, ...names] = positionals;
  if (values.help || command === undefined) {
    console.log(USAGE);
    return command === undefined && !values.help ? 2 : 0;
  }
  switch (command) {
    case 'up':
      return (await up(selectRecipes(names), { fresh: values.fresh || process.env.INFRA_FRESH === '1' }))
        ? 0
        : 1;
    case 'down':
      return down(selectRecipes(names));
    case 'status':
      return status(selectRecipes(names), values.ready);
    case 'logs':
      return logs(selectRecipes(names), parseLineCount(values.lines));
    case 'env':
      console.log(formatShellExports(connectionEnv()));
      return 0;
    default:
      throw new UsageError(`unknown command "${command}"`);
  }
}

class UsageError extends Error {}

function selectRecipes(names: string[]): ServerRecipe[] {
  if (names.length === 0) return serverRecipes;
  return names.map((name) => {
    const recipe = serverRecipes.find((candidate) => candidate.name === name);
    if (!recipe) throw new UsageError(`unknown server "${name}"`);
    return recipe;
  });
}

function parseLineCount(raw: string): number {
  const lines = Number(raw);
  if (!Number.isInteger(lines) || lines < 1)
    throw new UsageError(`--lines ${raw} is not a positive whole number`);
  return lines;
}

async function down(recipes: ServerRecipe[]): Promise<number> {
  const results = await Promise.allSettled(
    recipes.map(async (recipe) => {
      const outcome = await stopServer(recipe, serverPaths(recipe));
      console.log(`[${recipe.name}] ${outcome}`);
    }),
  );
  const failures = results.filter((result) => result.status === 'rejected');
  for (const failure of failures) console.error(`down failed: ${(failure.reason as Error).message}`);
  return failures.length > 0 ? 1 : 0;
}

async function status(recipes: ServerRecipe[], requireReady: boolean): Promise<number> {
  const headers = ['server', 'version', 'installed', 'running', 'ready', 'ports', 'rss', 'note'];
  const rows = await Promise.all(recipes.map(statusRow));
  console.log(`INFRA_HOME=${infraHome()}\n`);
  console.log(formatTable(headers, rows));
  const readyColumn = headers.indexOf('ready');
  return requireReady && rows.some((row) => row[readyColumn] !== 'yes') ? 1 : 0;
}

async function statusRow(recipe: ServerRecipe): Promise<string[]> {
  const paths = serverPaths(recipe);
  const ports = recipe.ports();
  const installed = (await recipe.isInstalled(paths)) ? 'yes' : 'no';
  const state = await inspectServerProcess(recipe, paths);
  const base = [recipe.name, recipe.version, installed];
  if (state.kind === 'running') {
    const ready = (await probeReady(recipe, paths)) ? 'yes' : 'no';
    const rssKiB = serverProcessTree(state.pid).reduce((sum, pid) => sum + residentKiB(pid), 0);
    return [...base, `pid ${state.pid}`, ready, formatPorts(ports), formatMiB(rssKiB), ''];
  }
  const note = state.kind === 'stale' ? `stale pid file: ${state.reason}` : await foreignPortNote(ports);
  return [...base, 'no', '-', formatPorts(ports), '-', note];
}

/** When we do not run the server but its port answers, say who holds it: `up` would fail on it. */
async function foreignPortNote(ports: Record<string, number>): Promise<string> {
  for (const port of Object.values(ports)) {
    if (await isPortFree(port)) continue;
    return `port ${port} taken by ${describePortOwner(port) ?? 'another process'}`;
  }
  return '';
}

function formatMiB(kib: number): string {
  return `${(kib / 1024).toFixed(0)} MiB`;
}

function logs(recipes: ServerRecipe[], lineCount: number): number {
  let printed = 0;
  for (const recipe of recipes) {
    const { logDir } = serverPaths(recipe);
    const files = existsSync(logDir)
      ? readdirSync(logDir, { withFileTypes: true })
          .filter((entry) => entry.isFile())
          .map((entry) => entry.name)
          .sort()
      : [];
    if (files.length === 0) {
      console.log(`==> ${recipe.name}: no logs in ${logDir} <==\n`);
      continue;
    }
    for (const file of files) {
      const logFile = path.join(logDir, file);
      console.log(`==> ${logFile} <==\n${readTail(logFile, lineCount)}\n`);
      printed += 1;
    }
  }
  return printed > 0 || recipes.length > 1 ? 0 : 1;
}

try {
  process.exitCode = await main(process.argv.slice(2));
} catch (error) {
  if (error instanceof UsageError || (error as NodeJS.ErrnoException).code?.startsWith('ERR_PARSE_ARGS')) {
    console.error(`${(error as Error).message}\n\n${USAGE}`);
    process.exitCode = 2;
  } else {
    console.error((error as Error).stack ?? error);
    process.exitCode = 1;
  }
}
