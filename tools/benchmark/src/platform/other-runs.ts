import { readdirSync, readFileSync } from 'node:fs';

/**
 * Other runs of the platform on this machine (a test suite, `npm start`, another benchmark).
 *
 * Topics have fixed names: a run's own consumer groups keep its offsets apart, not its messages.
 * While another run's inventory, payment or order service is up, it consumes this run's commands
 * too (an inventory without our sku answers StockRejected, and the first reply wins), and ours
 * consume its commands: both runs' results go wrong. So the benchmark waits for them to end.
 */
const kafkaServices = new Set(['inventory', 'payment', 'order']);

/**
 * What a command line (NUL-separated, as /proc/<pid>/cmdline) runs, when it runs services that
 * consume commands: a built inventory, payment or order service, those projects' integration
 * tests (their apps run inside jest), or the end-to-end suites. Unit tests use no Kafka.
 */
export function commandConsumerOf(cmdline: string): string | undefined {
  const built = /(?:^|[/\0])dist\/apps\/([a-z0-9-]+)\/src\/main\.js(?:\0|$)/.exec(cmdline)?.[1];
  if (built !== undefined) return kafkaServices.has(built) ? built : undefined;
  const argv = cmdline.split('\0');
  if (!argv.some((arg) => /(?:^|\/)jest(?:\.js)?$/.test(arg))) return undefined;
  const project = /apps\/([a-z0-9-]+)\/jest\.config\.cjs/.exec(cmdline)?.[1];
  if (project === 'platform-e2e') return 'platform-e2e tests';
  if (project !== undefined && kafkaServices.has(project) && argv.includes('--testPathPatterns'))
    return `${project} integration tests`;
  return undefined;
}

export interface OtherProcess {
  pid: number;
  app: string;
}

/** Processes of this machine running a command-consuming service, except `ownPids`. */
export function otherPlatformProcesses(ownPids: ReadonlySet<number>): OtherProcess[] {
  const found: OtherProcess[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry) || ownPids.has(Number(entry))) continue;
    let cmdline: string;
    try {
      cmdline = readFileSync(`/proc/${entry}/cmdline`, 'utf8');
    } catch {
      continue; // ended meanwhile, or not ours to read
    }
    const app = commandConsumerOf(cmdline);
    if (app !== undefined) found.push({ pid: Number(entry), app });
  }
  return found;
}

export function describeOthers(others: readonly OtherProcess[]): string {
  return others.map(({ pid, app }) => `${app} (pid ${pid})`).join(', ');
}
