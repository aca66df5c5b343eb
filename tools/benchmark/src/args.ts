import { parseArgs } from 'node:util';

export const suiteNames = [
  'gateway',
  'tracing',
  'saga',
  'idempotency',
  'embedded',
  'scale',
  'breaker',
  'kafka',
] as const;
export type SuiteName = (typeof suiteNames)[number];

export const usage = `usage: npm run benchmark -- [options]

Boots the platform (local profile, built dist/, real infrastructure of \`npm run infra:up\`) and
measures it with autocannon from a separate process. It measures; it asserts nothing.

options:
  --duration <s>       seconds per measurement (default 10; warm-ups take min(3, duration) s more)
  --connections <n>    autocannon connections (default 10)
  --only <list>        some of: ${suiteNames.join(',')} (default: all)
  --seed-orders <n>    saga: after the empty-store figures, store n earlier orders and measure again
  --json <file>        also write the figures as JSON
  --cpu-prof <dir>     every service it starts writes a V8 CPU profile there (node --cpu-prof)
  --no-pin             do not pin the services and the load generator to separate CPUs (taskset)
  --help`;

export interface BenchmarkOptions {
  durationSeconds: number;
  connections: number;
  suites: SuiteName[];
  jsonFile?: string;
  pin: boolean;
  /** Where the order stack's services write their CPU profiles, when asked. */
  cpuProfileDir?: string;
  /** Orders stored before the saga's second saturation figure; 0: no second figure. */
  seedOrders: number;
}

export type Invocation = { help: true } | { help: false; options: BenchmarkOptions };

/** A mistake in the command line: printed with the usage, exit code 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

export function parseInvocation(argv: string[]): Invocation {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      allowPositionals: false,
      options: {
        duration: { type: 'string' },
        connections: { type: 'string' },
        only: { type: 'string' },
        json: { type: 'string' },
        'seed-orders': { type: 'string' },
        'cpu-prof': { type: 'string' },
        'no-pin': { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    }));
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  if (values.help) return { help: true };
  const options: BenchmarkOptions = {
    durationSeconds: positiveInteger('--duration', values.duration ?? '10'),
    connections: positiveInteger('--connections', values.connections ?? '10'),
    suites: suitesOf(values.only),
    pin: !values['no-pin'],
    seedOrders:
      values['seed-orders'] === undefined ? 0 : positiveInteger('--seed-orders', values['seed-orders']),
  };
  if (values['cpu-prof'] !== undefined) {
    if (values['cpu-prof'].trim() === '') throw new UsageError('--cpu-prof needs a folder');
    options.cpuProfileDir = values['cpu-prof'];
  }
  if (values.json !== undefined) {
    if (values.json.trim() === '') throw new UsageError('--json needs a file name');
    options.jsonFile = values.json;
  }
  return { help: false, options };
}

function positiveInteger(option: string, text: string): number {
  if (!/^\d+$/.test(text.trim()) || Number(text) < 1)
    throw new UsageError(`${option} takes a positive whole number, not "${text}"`);
  return Number(text);
}

/** In the order of `suiteNames`, whatever order they were given in, each once. */
function suitesOf(list: string | undefined): SuiteName[] {
  if (list === undefined) return [...suiteNames];
  const asked = list
    .split(',')
    .map((name) => name.trim())
    .filter((name) => name !== '');
  const unknown = asked.filter((name) => !(suiteNames as readonly string[]).includes(name));
  if (unknown.length > 0)
    throw new UsageError(`--only takes some of ${suiteNames.join(',')}; unknown: ${unknown.join(',')}`);
  if (asked.length === 0) throw new UsageError('--only needs at least one of ' + suiteNames.join(','));
  return suiteNames.filter((name) => asked.includes(name));
}
