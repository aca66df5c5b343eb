import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { eventually } from '@platform/testing';
import type { Customer } from '../test/api-client';
import type { PlatformSuite } from '../test/platform-suite';
import type { StockedProduct } from '../test/shop';
import { figuresDir, type ScenarioFigures } from './resilience-figures';
import { SteadyLoad, type LoadFigures } from './steady-load';

export interface FaultContext {
  suite: PlatformSuite;
  load: SteadyLoad;
  /** Waits until `count` orders placed from now on are CONFIRMED (the platform is taking orders). */
  confirmedFromNow(count: number, timeoutMs?: number): Promise<void>;
  /** Waits until `count` orders placed from now on have ended, in any final status. */
  decidedFromNow(count: number, timeoutMs?: number): Promise<void>;
  /** Waits until every order accepted until now has ended: the platform has no backlog left from before. */
  caughtUp(timeoutMs?: number): Promise<void>;
}

/** The shop's customers and products a fault run orders with; made once per suite. */
export interface Catalogue {
  customers: Customer[];
  products: StockedProduct[];
}

export async function stockTheShop(suite: PlatformSuite): Promise<Catalogue> {
  const customers = [];
  for (let index = 0; index < 4; index += 1) customers.push(await suite.shop.newCustomer());
  const products = [];
  // Plenty of stock, and one product that runs out under the load: OUT_OF_STOCK is an outcome too.
  for (let index = 0; index < 3; index += 1) products.push(await suite.shop.stockedProduct(100_000));
  products.push(await suite.shop.stockedProduct(12));
  return { customers, products };
}

/**
 * Runs `fault` under a steady stream of orders: the load starts, the platform confirms orders,
 * the fault happens (and is undone by `fault` before it returns), orders are confirmed again, the
 * load stops, and the invariant checker judges everything ordered; the figures go to the report.
 * Fails with the violations, if any.
 */
export async function runUnderLoad(
  scenario: string,
  {
    suite,
    catalogue,
    seed,
    ordersPerSecond = 4,
  }: {
    suite: PlatformSuite;
    catalogue: Catalogue;
    seed: number;
    ordersPerSecond?: number;
  },
  fault: (context: FaultContext) => Promise<void>,
): Promise<ScenarioFigures> {
  const load = new SteadyLoad(suite.shop, catalogue.customers, catalogue.products, { ordersPerSecond, seed });
  const fromNow = async (
    count: number,
    wanted: (status: string) => boolean,
    what: string,
    timeoutMs: number,
  ) => {
    const since = Date.now();
    const ended = new Set<string>();
    await eventually(
      async () => {
        for (const orderId of load.acceptedSince(since)) {
          if (ended.size >= count) break;
          if (ended.has(orderId)) continue;
          const answer = await suite.shop.order(orderId);
          if (answer.status === 200 && wanted(answer.body.status as string)) ended.add(orderId);
        }
        return ended.size >= count ? true : undefined;
      },
      timeoutMs,
      250,
    ).catch(() => {
      throw new Error(
        `${scenario}: ${count} orders placed from then on were not ${what} within ${timeoutMs / 1000} s`,
      );
    });
  };
  const confirmedFromNow = (count: number, timeoutMs = 120_000) =>
    fromNow(count, (status) => status === 'CONFIRMED', 'CONFIRMED', timeoutMs);
  const decidedFromNow = (count: number, timeoutMs = 120_000) =>
    fromNow(count, (status) => status !== 'PENDING', 'final', timeoutMs);
  const endedSoFar = new Set<string>();
  const caughtUp = async (timeoutMs = 180_000) => {
    const deadline = Date.now() + timeoutMs;
    const accepted = [...load.placedAt.keys()].filter((orderId) => !endedSoFar.has(orderId));
    try {
      for (const orderId of accepted) {
        await suite.shop.finalOrder(orderId, Math.max(1, deadline - Date.now()));
        endedSoFar.add(orderId);
      }
    } catch {
      const pending = accepted.filter((orderId) => !endedSoFar.has(orderId));
      throw new Error(
        `${scenario}: ${pending.length} of the ${accepted.length} orders accepted until then had not ended within ${timeoutMs / 1000} s (${pending.slice(0, 5).join(', ')})`,
      );
    }
  };
  const startedAt = Date.now();
  const ordersBefore = new Set(suite.shop.orders.map((order) => order.orderId));
  load.start();
  let figures: LoadFigures;
  let faultSeconds = 0;
  let recoverySeconds = 0;
  const violations: string[] = [];
  try {
    await confirmedFromNow(3);
    const faultStarted = Date.now();
    await fault({ suite, load, confirmedFromNow, decidedFromNow, caughtUp });
    const faultEnded = Date.now();
    faultSeconds = (faultEnded - faultStarted) / 1000;
    await confirmedFromNow(1);
    recoverySeconds = (Date.now() - faultEnded) / 1000;
    await confirmedFromNow(3);
  } catch (error) {
    // Judged and reported like a violation: the platform did not take orders again, or the fault failed.
    violations.push((error as Error).message);
  } finally {
    figures = await load.stop();
  }
  if (figures.unsettled > 0)
    violations.push(
      `${figures.unsettled} orders the platform may have taken (a 5xx or a broken connection) were never answered for their key again`,
    );
  const linesOf = (error: unknown) => {
    const lines = (error as Error).message.split('\n');
    return lines.length > 1 ? lines.slice(1).map((line) => line.trim()) : lines;
  };
  let finals = new Map<string, { status: string; failureReason?: string }>();
  try {
    finals = await suite.invariants.finalOrders(180_000);
    await suite.invariants.check(180_000);
  } catch (error) {
    violations.push(...linesOf(error));
  }
  const mine = [...finals.entries()]
    .filter(([orderId]) => !ordersBefore.has(orderId))
    .map(([, order]) => order);
  const cancelled: Record<string, number> = {};
  for (const order of mine.filter((each) => each.status === 'CANCELLED'))
    cancelled[order.failureReason ?? 'unknown'] = (cancelled[order.failureReason ?? 'unknown'] ?? 0) + 1;
  const result: ScenarioFigures = {
    scenario,
    startedAt,
    seed,
    load: figures,
    confirmed: mine.filter((order) => order.status === 'CONFIRMED').length,
    cancelled,
    violations,
    recoverySeconds,
    faultSeconds,
  };
  recordFigures(result);
  return result;
}

/**
 * Keeps a scenario's figures for `reports/resilience.md` (one file per scenario, named after it
 * unless `fileStem` names it) and prints its one line.
 */
export function recordFigures(figures: ScenarioFigures, fileStem?: string): void {
  const stem =
    fileStem ??
    figures.scenario
      .replace(/[^a-z0-9]+/gi, '-')
      .replace(/^-|-$/g, '')
      .toLowerCase();
  mkdirSync(figuresDir, { recursive: true });
  writeFileSync(join(figuresDir, `${stem}.json`), JSON.stringify(figures));
  process.stdout.write(`${figuresLine(figures)}\n`);
}

function figuresLine(figures: ScenarioFigures): string {
  const cancelled = Object.entries(figures.cancelled)
    .map(([reason, count]) => `${reason} ${count}`)
    .join(', ');
  return (
    `${figures.scenario}: placed ${figures.load.accepted} (sent ${figures.load.sent}, asked again ${figures.load.retried}), ` +
    `confirmed ${figures.confirmed}, cancelled ${cancelled || 'none'}, violations ${figures.violations.length}, ` +
    `fault ${figures.faultSeconds.toFixed(1)} s, recovered ${figures.recoverySeconds.toFixed(1)} s after it`
  );
}
