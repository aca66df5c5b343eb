import type { ChildProcess } from 'node:child_process';

/**
 * Every process the benchmark starts, so none outlives it: an interrupted or failed run must not
 * leave services holding ports and consumer groups on the developer's machine.
 */
const children = new Set<ChildProcess>();

export function track(child: ChildProcess): void {
  children.add(child);
  child.once('exit', () => children.delete(child));
}

function killAll(signal: NodeJS.Signals): void {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill(signal);
}

let installed = false;

/** On exit, kill what is left; on Ctrl-C or SIGTERM, stop the children and exit 130. */
export function killChildrenOnExit(): void {
  if (installed) return;
  installed = true;
  process.on('exit', () => killAll('SIGKILL'));
  for (const signal of ['SIGINT', 'SIGTERM'] as const)
    process.once(signal, () => {
      console.error(`\nbenchmark: ${signal}, stopping the ${children.size} processes it started`);
      killAll('SIGTERM');
      setTimeout(() => process.exit(130), 2000).unref();
    });
}

/** The pids of the processes this run started and that still run. */
export function ownPids(): Set<number> {
  return new Set([...children].flatMap((child) => (child.pid === undefined ? [] : [child.pid])));
}
