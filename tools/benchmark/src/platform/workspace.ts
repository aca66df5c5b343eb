import { existsSync, readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';

export const workspaceRoot = resolve(import.meta.dirname, '../../../..');

/** A module of the built workspace (`dist/`, CommonJS), e.g. `libs/resilience/src/index.js`: the code the services run. */
export function requireBuilt<Module>(pathInDist: string): Module {
  return createRequire(import.meta.url)(join(workspaceRoot, 'dist', pathInDist)) as Module;
}

export function distMainOf(app: string): string {
  return join(workspaceRoot, 'dist/apps', app, 'src/main.js');
}

export function appExists(app: string): boolean {
  return existsSync(join(workspaceRoot, 'apps', app, 'src/main.ts'));
}

function newestSourceMtime(dir: string): number {
  let newest = 0;
  if (!existsSync(dir)) return newest;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSourceMtime(path));
    else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.spec.ts'))
      newest = Math.max(newest, statSync(path).mtimeMs);
  }
  return newest;
}

export interface BuildState {
  /** Apps without dist/apps/<app>/src/main.js. */
  missing: string[];
  /** Apps whose sources (or the libraries') changed after their build. */
  stale: string[];
}

/** Whether the apps the benchmark starts are built, and built from the current sources. */
export function buildStateOf(apps: readonly string[]): BuildState {
  const libraries = join(workspaceRoot, 'libs');
  const newestLibrary = Math.max(
    0,
    ...readdirSync(libraries).map((library) => newestSourceMtime(join(libraries, library, 'src'))),
  );
  const state: BuildState = { missing: [], stale: [] };
  for (const app of apps) {
    const main = distMainOf(app);
    if (!existsSync(main)) state.missing.push(app);
    else if (
      Math.max(newestLibrary, newestSourceMtime(join(workspaceRoot, 'apps', app, 'src'))) >
      statSync(main).mtimeMs
    )
      state.stale.push(app);
  }
  return state;
}
