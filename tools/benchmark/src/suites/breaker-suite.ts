import type { BenchContext } from '../bench-context.ts';
import { formatCount } from '../format.ts';
import { requireBuilt } from '../platform/workspace.ts';
import type { SuiteReport } from './suite-report.ts';

/** The parts of the built `@platform/resilience` this suite calls (dist/libs/resilience, CommonJS). */
interface Resilience {
  circuitBreaker(options: { name: string; volumeThreshold?: number; resetMs?: number }): BreakerPolicy;
  retry(options: { name: string; maxAttempts?: number }): Policy;
  timeout(options: { name: string; ms: number }): Policy;
  compose(...policies: Policy[]): { execute<T>(call: (signal: AbortSignal) => Promise<T>): Promise<T> };
}
interface Context {
  signal: AbortSignal;
  idempotent: boolean;
}
interface Policy {
  run<T>(next: (context: Context) => Promise<T>, context: Context): Promise<T>;
}
interface BreakerPolicy extends Policy {
  readonly state: string;
  shutdown(): void;
}

const calls = 200_000;
const rounds = 5;

/** ns per call of `call`, awaited one after another, best of `rounds` rounds (the least disturbed). */
async function nsPerCall(call: () => Promise<unknown>): Promise<number> {
  let best = Number.POSITIVE_INFINITY;
  for (let round = 0; round < rounds; round += 1) {
    const started = process.hrtime.bigint();
    for (let index = 0; index < calls; index += 1) await call();
    best = Math.min(best, Number(process.hrtime.bigint() - started) / calls);
  }
  return best;
}

/** Each call's own time (ns), for percentiles. */
async function eachCallNs(call: () => Promise<unknown>, count: number): Promise<number[]> {
  const times: number[] = [];
  for (let index = 0; index < count; index += 1) {
    const started = process.hrtime.bigint();
    await call();
    times.push(Number(process.hrtime.bigint() - started));
  }
  return times.sort((a, b) => a - b);
}

const percentileOf = (sorted: readonly number[], p: number) =>
  sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;

/**
 * What the circuit breaker costs, measured in this process on the built library (the same code
 * the gateway and the services run): an awaited call that does nothing, bare, through the breaker
 * (opossum), and through the stack a resilient HTTP client wraps every request in (breaker, retry,
 * timeout); then each call of a breaker held open, which refuses without calling: its p50, p99
 * and p99.9. The work a real call does (a request to another process, ~100 µs and up here) is left
 * out on purpose: these are the costs added to it.
 */
export async function breakerSuite(context: BenchContext): Promise<SuiteReport> {
  context.say('circuit breaker: cost per call, and a rejected call');
  const resilience = requireBuilt<Resilience>('libs/resilience/src/index.js');
  const signal = new AbortController().signal;
  const callContext: Context = { signal, idempotent: true };
  const nothing = async () => 1;

  const breaker = resilience.circuitBreaker({ name: 'bench-closed', volumeThreshold: 1_000_000 });
  const stackBreaker = resilience.circuitBreaker({ name: 'bench-stack', volumeThreshold: 1_000_000 });
  const stack = resilience.compose(
    stackBreaker,
    resilience.retry({ name: 'bench-stack', maxAttempts: 3 }),
    resilience.timeout({ name: 'bench-stack', ms: 5000 }),
  );
  const open = resilience.circuitBreaker({ name: 'bench-open', volumeThreshold: 1, resetMs: 3_600_000 });
  try {
    context.say(`  ${formatCount(calls)} awaited calls × ${rounds} rounds each: bare, breaker, client stack`);
    const bare = await nsPerCall(nothing);
    const throughBreaker = await nsPerCall(() => breaker.run(nothing, callContext));
    const throughStack = await nsPerCall(() => stack.execute(nothing));

    await open.run(() => Promise.reject(new Error('down')), callContext).catch(() => undefined);
    if (open.state !== 'open') throw new Error(`the breaker did not open after a failure: ${open.state}`);
    const refuse = () => open.run(nothing, callContext).catch(() => undefined);
    await eachCallNs(refuse, calls / 10);
    const rejected = await eachCallNs(refuse, calls);
    const micros = (ns: number) => (ns / 1000).toFixed(2);
    return {
      suite: 'breaker',
      title:
        'circuit breaker: added cost per call, and the latency of a call refused while open (in process)',
      table: {
        headers: ['', 'µs per call', 'added to a bare call, µs'],
        rows: [
          ['bare awaited call', micros(bare), '–'],
          ['through the breaker (closed)', micros(throughBreaker), micros(throughBreaker - bare)],
          ['through breaker + retry + timeout', micros(throughStack), micros(throughStack - bare)],
          [
            `refused while open: p50 / p99 / p99.9 of ${formatCount(calls)}`,
            `${micros(percentileOf(rejected, 50))} / ${micros(percentileOf(rejected, 99))} / ${micros(percentileOf(rejected, 99.9))}`,
            '–',
          ],
        ],
      },
      notes: [
        'one process, calls awaited one after another; per-call figures are the best of the rounds',
        'a refused call throws CircuitOpenError: the p99 includes building that error and its stack trace',
      ],
      figures: {
        calls,
        rounds,
        bareNs: bare,
        breakerNs: throughBreaker,
        clientStackNs: throughStack,
        rejectedNs: {
          p50: percentileOf(rejected, 50),
          p99: percentileOf(rejected, 99),
          p999: percentileOf(rejected, 99.9),
        },
      },
    };
  } finally {
    for (const each of [breaker, stackBreaker, open]) each.shutdown();
  }
}
