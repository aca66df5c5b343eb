import type { ServerPaths } from './paths.ts';
import type { ServerRecipe } from './recipe.ts';
import { sleep } from './server-process.ts';

// One probe must not hang the poll loop (a half-started JVM may accept and never answer).
const PROBE_TIMEOUT_MS = 5_000;

/** Asks the recipe once, counting a throw or a hang as "not ready". */
export async function probeReady(recipe: ServerRecipe, paths: ServerPaths): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), PROBE_TIMEOUT_MS);
  });
  try {
    return await Promise.race([recipe.isReady(paths).catch(() => false), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

export interface ReadinessWatch {
  /** Resolves with why the process ended, if it ends. */
  exited?: Promise<string>;
  signal?: AbortSignal;
}

/** Polls until ready; throws on timeout, on the process exiting, or when aborted. Returns the wait in ms. */
export async function waitUntilReady(
  recipe: ServerRecipe,
  paths: ServerPaths,
  watch: ReadinessWatch = {},
): Promise<number> {
  const began = performance.now();
  let exitReason: string | undefined;
  watch.exited?.then((reason) => {
    exitReason = reason;
  });
  let interval = 100;
  while (performance.now() - began < recipe.readyTimeoutMs) {
    if (watch.signal?.aborted) throw new Error('aborted');
    if (exitReason) throw new ServerExitedError(exitReason);
    if (await probeReady(recipe, paths)) return performance.now() - began;
    await Promise.race(watch.exited ? [sleep(interval), watch.exited] : [sleep(interval)]);
    interval = Math.min(interval * 2, 1_000);
  }
  throw new Error(`not ready within ${recipe.readyTimeoutMs / 1000}s`);
}

export class ServerExitedError extends Error {
  constructor(reason: string) {
    super(`the server process ${reason} before it was ready`);
  }
}
