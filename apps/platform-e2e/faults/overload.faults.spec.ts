import { randomUUID } from 'node:crypto';
import { setTimeout as delay } from 'node:timers/promises';
import type { ApiAnswer } from '../test/api-client';
import { usePlatform, type PlatformSuite } from '../test/platform-suite';
import { recordFigures, stockTheShop, type Catalogue } from './fault-run';
import { mayHideTakenOrder } from './steady-load';
import type { ScenarioFigures } from './resilience-figures';

/**
 * Scenario 10 of the fault suite: overload. The run finds the rate at which the platform decides
 * orders when offered more than it can take (an open-loop ramp: 4, 8, 16, 32 orders a second,
 * 10 s each, until it refuses some; the rate is read from the order service's own
 * `order_completion_duration_seconds_count`), then sends an open-loop stream at three times that
 * rate for 30 s, each order once, as clients that do not wait for each other. What the platform
 * cannot decide in time it must refuse at once, 503 with `Retry-After` (the order service's
 * admission limit), rather than take it and cancel it later for TIMEOUT. Afterwards every order
 * ends, the consumers' lag is back to 0 and the invariants hold. The admitted requests' p99 is
 * printed beside the unloaded one, not asserted (no timing thresholds in tests).
 */
jest.setTimeout(900_000);

const rampRates = [4, 8, 16, 32];
const rampStepSeconds = 10;
const overloadSeconds = 30;

/** Nearest-rank percentile of `samples` (ms). */
function percentile(samples: number[], p: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
}

/** The sum of every series of one of the order service's metrics, as its /metrics shows them now. */
async function orderMetric(suite: PlatformSuite, name: string): Promise<number> {
  const text = await (await fetch(`${suite.platform.process('order').operationsUrl}/metrics`)).text();
  return text
    .split('\n')
    .filter((line) => line.startsWith(`${name}{`) || line.startsWith(`${name} `))
    .reduce((sum, line) => sum + Number(line.slice(line.lastIndexOf(' ') + 1)), 0);
}

/** Orders the order service has decided so far: the count of its completion histogram, every outcome. */
const ordersDecided = (suite: PlatformSuite) => orderMetric(suite, 'order_completion_duration_seconds_count');

interface Sent {
  answer: ApiAnswer | undefined;
  ms: number;
}

describe('fault suite: overload', () => {
  const suite = usePlatform();
  let catalogue: Catalogue;

  beforeAll(async () => {
    catalogue = await stockTheShop(suite);
  });

  const place = async (index: number): Promise<Sent> => {
    const customer = catalogue.customers[index % catalogue.customers.length];
    // The products with plenty of stock: an order is refused or ends for the load, not for stock.
    const product = catalogue.products[index % 3];
    if (!customer || !product) throw new Error('the shop is not stocked');
    const started = performance.now();
    const answer = await suite.shop
      .placeOrder(customer, [{ sku: product.sku, quantity: 1 }], { idempotencyKey: randomUUID() })
      .catch(() => undefined);
    return { answer, ms: performance.now() - started };
  };

  /** An open-loop stream: `rate` orders a second for `seconds`, each sent on time whatever the earlier ones do. */
  const openLoop = async (rate: number, seconds: number, first: number): Promise<Sent[]> => {
    const startedAt = Date.now();
    const sending: Promise<Sent>[] = [];
    for (let index = 0; index < rate * seconds; index += 1) {
      const wait = startedAt + (index * 1000) / rate - Date.now();
      if (wait > 0) await delay(wait);
      sending.push(place(first + index));
    }
    return Promise.all(sending);
  };

  it('when orders arrive at three times the rate the platform decides them, then the excess is refused at once with Retry-After, no admitted order ends in TIMEOUT, and every order ends with the invariants kept', async () => {
    const startedAt = Date.now();
    const ordersBefore = new Set(suite.shop.orders.map((order) => order.orderId));
    let sent = 0;

    // Unloaded: one order at a time, each decided before the next; the first 5 warm up, unmeasured.
    const unloaded: number[] = [];
    for (let index = 0; index < 25; index += 1) {
      const { answer, ms } = await place(index);
      expect(answer?.status).toBe(202);
      await suite.shop.finalOrder(answer?.body.orderId as string, 120_000);
      if (index >= 5) unloaded.push(ms);
    }
    sent += 25;

    // Saturation: the most orders a second it decides while offered more and more, until it refuses some.
    let saturation = 0;
    const ramp: string[] = [];
    for (const rate of rampRates) {
      const decidedBefore = await ordersDecided(suite);
      const stepStarted = Date.now();
      const answers = await openLoop(rate, rampStepSeconds, sent);
      sent += answers.length;
      const decidedRate =
        ((await ordersDecided(suite)) - decidedBefore) / ((Date.now() - stepStarted) / 1000);
      const refused = answers.filter(({ answer }) => answer?.status !== 202).length;
      ramp.push(`${rate}/s offered: ${decidedRate.toFixed(1)}/s decided, ${refused} refused`);
      saturation = Math.max(saturation, decidedRate);
      if (refused > answers.length / 10) break;
    }
    // The ramp's backlog ends before the overload starts.
    await suite.invariants.finalOrders(300_000);

    // Overload: open loop at three times that, every order sent once.
    const offered = Math.max(1, Math.round(3 * saturation));
    const overloadStartedAt = Date.now();
    const limits: number[] = [];
    const watching = setInterval(() => {
      void orderMetric(suite, 'saga_admission_limit').then((limit) => limits.push(limit));
    }, 1000);
    const overload = await openLoop(offered, overloadSeconds, sent).finally(() => clearInterval(watching));
    const overloadEndedAt = Date.now();
    sent += overload.length;
    const statuses: Record<string, number> = {};
    for (const { answer } of overload) {
      const status = answer ? String(answer.status) : 'unanswered';
      statuses[status] = (statuses[status] ?? 0) + 1;
    }
    const admitted = overload.filter(({ answer }) => answer?.status === 202);
    const overloadOrders = new Set(admitted.map(({ answer }) => answer?.body.orderId as string));
    const refusedWithoutRetryAfter = overload.filter(
      ({ answer }) =>
        answer && [429, 503].includes(answer.status) && answer.headers['retry-after'] === undefined,
    ).length;

    const violations: string[] = [];
    const finals = await suite.invariants.finalOrders(300_000);
    await suite.invariants.check(300_000).catch((error: Error) => violations.push(error.message));
    const recoverySeconds = (Date.now() - overloadEndedAt) / 1000;
    const mine = [...finals.entries()].filter(([orderId]) => !ordersBefore.has(orderId));
    const cancelled: Record<string, number> = {};
    for (const [, order] of mine.filter(([, each]) => each.status === 'CANCELLED'))
      cancelled[order.failureReason ?? 'unknown'] = (cancelled[order.failureReason ?? 'unknown'] ?? 0) + 1;
    const timedOut = mine
      .filter(([orderId, order]) => overloadOrders.has(orderId) && order.failureReason === 'TIMEOUT')
      .map(([orderId]) => orderId);

    const figures: ScenarioFigures = {
      scenario: `overload: ${offered} orders/s (3 × ${saturation.toFixed(1)} decided/s) for ${overloadSeconds} s`,
      startedAt,
      seed: 0,
      load: {
        sent,
        accepted: mine.length,
        refused: Object.fromEntries(Object.entries(statuses).filter(([status]) => status !== '202')),
        unanswered: statuses['unanswered'] ?? 0,
        // Sent once: a 5xx that may hide a taken order is not asked about again here.
        unsettled: overload.filter(({ answer }) => answer && mayHideTakenOrder(answer)).length,
        retried: 0,
        retriedAfter: {},
      },
      confirmed: mine.filter(([, order]) => order.status === 'CONFIRMED').length,
      cancelled,
      violations,
      recoverySeconds,
      faultSeconds: (overloadEndedAt - overloadStartedAt) / 1000,
    };
    // Named once for every run: the offered rate in the scenario's title changes from run to run.
    recordFigures(figures, 'overload');
    const latencies = (samples: number[]) =>
      `p50 ${percentile(samples, 50).toFixed(0)} ms, p99 ${percentile(samples, 99).toFixed(0)} ms`;
    const refusedMs = overload.filter(({ answer }) => answer && answer.status !== 202).map(({ ms }) => ms);
    process.stdout.write(
      `overload ramp: ${ramp.join('; ')}\n` +
        `overload: POST /api/orders unloaded ${latencies(unloaded)}; under overload admitted ` +
        `${latencies(admitted.map(({ ms }) => ms))} (${admitted.length} of ${overload.length}), ` +
        `refused ${latencies(refusedMs)}; answers ${JSON.stringify(statuses)}\n` +
        `overload: admission limit each second ${limits.join(' ')}\n`,
    );

    expect(violations).toEqual([]);
    expect(timedOut).toEqual([]);
    // Refused at once and said so: every answer is an acceptance or a refusal with Retry-After.
    expect(Object.keys(statuses).filter((status) => !['202', '429', '503'].includes(status))).toEqual([]);
    expect(refusedWithoutRetryAfter).toBe(0);
  });
});
