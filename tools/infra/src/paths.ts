import path from 'node:path';
import type { InfraPaths, ServerRecipe } from './recipe.ts';

export const repositoryRoot = path.resolve(import.meta.dirname, '../../..');

/** INFRA_HOME, default `<repo>/.infra` (git-ignored). */
export function infraHome(): string {
  return path.resolve(process.env.INFRA_HOME || path.join(repositoryRoot, '.infra'));
}

/** What recipes get, plus the files only the CLI manages. */
export interface ServerPaths extends InfraPaths {
  pidFile: string;
  /** pid, start time and command of the launched process: tells our process from a reused pid. */
  launchRecordFile: string;
  /** stdout and stderr of the server, appended across runs. */
  logFile: string;
}

export function serverPaths(recipe: ServerRecipe): ServerPaths {
  const home = infraHome();
  const runDir = path.join(home, 'run', recipe.name);
  const logDir = path.join(runDir, 'logs');
  return {
    root: repositoryRoot,
    configDir: path.join(repositoryRoot, 'infra', 'local', recipe.name),
    installDir: path.join(home, 'install', `${recipe.name}-${recipe.version}`),
    runDir,
    dataDir: path.join(runDir, 'data'),
    logDir,
    pidFile: path.join(runDir, 'pid'),
    launchRecordFile: path.join(runDir, 'launch.json'),
    logFile: path.join(logDir, `${recipe.name}.out`),
  };
}
