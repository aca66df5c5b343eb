import { randomUUID } from 'node:crypto';
import { setTimeout as delay } from 'node:timers/promises';
import { unsafeUniformIntDistribution, xoroshiro128plus, type RandomGenerator } from 'pure-rand';
import { fullJitterDelay, notProcessedHeader } from '@platform/resilience';
import type { ApiAnswer, Customer } from '../test/api-client';
import type { Shop, StockedProduct } from '../test/shop';

/** A card and how often the load pays with it: mostly approved, some declined. */
const cards: [paymentMethod: string, weight: number][] = [
  ['tok_visa', 85],
  ['tok_chargeDeclined', 15],
];

export interface LoadFigures {
  /** Orders sent. */
  sent: number;
  /** Answered 202: the shop follows each to its end, and the invariants account for it. */
  accepted: number;
  /** The final answer of orders not accepted, by status (a 409 out of stock, a 503 still after every try). */
  refused: Record<string, number>;
  /** Never answered, even asked again: the connection was refused every time (nothing was sent). */
  unanswered: number;
  /**
   * Orders an answer left open (no answer, or a 5xx that does not say nothing was done: the platform
   * may have taken them) and that no later answer settled, even asked again for two minutes after
   * the load stopped. The invariant checker cannot account for them: each is a violation.
   */
  unsettled: number;
  /** Orders asked again with their key after an answer that said nothing (no answer, 5xx, 429). */
  retried: number;
  /** What each of those answers was: its status and problem type, or `unanswered`. */
  retriedAfter: Record<string, number>;
}

/** A 5xx that does not say nothing was done: the platform may have taken the order it answers. */
export function mayHideTakenOrder(answer: ApiAnswer): boolean {
  return answer.status >= 500 && answer.headers[notProcessedHeader] === undefined;
}

/** Tries per order: about 30 s of asking again, longer than a service takes to restart. */
const maxAttempts = 12;

/**
 * How long after the load stops an order that may have been taken is still asked about: the
 * fault is over by then, so its key is answered (202 with the order, if the platform took it).
 */
const settleAfterStopMs = 120_000;

export interface SteadyLoadOptions {
  ordersPerSecond: number;
  /** The stream is the same for the same seed: which customer, product, quantity and card. */
  seed: number;
  /** Orders in flight at most; a slower platform gets fewer orders, not an unbounded queue. */
  maxInFlight?: number;
}

/**
 * A steady, open-loop stream of orders through the gateway, from a few customers over a few
 * products, while a fault scenario breaks things. Each accepted order is placed through the shop,
 * so the invariant checker follows it to its end.
 */
export class SteadyLoad {
  private readonly random: RandomGenerator;
  private readonly inFlight = new Set<Promise<void>>();
  private timer: NodeJS.Timeout | undefined;
  private readonly figures: LoadFigures = {
    sent: 0,
    accepted: 0,
    refused: {},
    unanswered: 0,
    unsettled: 0,
    retried: 0,
    retriedAfter: {},
  };
  /** When `stop` was called: orders still open are asked about until `settleAfterStopMs` after it. */
  private stoppedAt: number | undefined;
  /** When each accepted order was placed (ms since the epoch), by id. */
  readonly placedAt = new Map<string, number>();

  constructor(
    private readonly shop: Shop,
    private readonly customers: Customer[],
    private readonly products: StockedProduct[],
    private readonly options: SteadyLoadOptions,
  ) {
    this.random = xoroshiro128plus(options.seed);
  }

  start(): void {
    const maxInFlight = this.options.maxInFlight ?? 20;
    this.timer = setInterval(() => {
      if (this.inFlight.size >= maxInFlight) return;
      const sending = this.placeOne().finally(() => this.inFlight.delete(sending));
      this.inFlight.add(sending);
    }, 1000 / this.options.ordersPerSecond);
  }

  /** Stops sending and waits for the answers still on their way. */
  async stop(): Promise<LoadFigures> {
    clearInterval(this.timer);
    this.stoppedAt = Date.now();
    await Promise.allSettled([...this.inFlight]);
    return {
      ...this.figures,
      refused: { ...this.figures.refused },
      retriedAfter: { ...this.figures.retriedAfter },
    };
  }

  /** The figures until now, while the load goes on. */
  figuresSoFar(): LoadFigures {
    return {
      ...this.figures,
      refused: { ...this.figures.refused },
      retriedAfter: { ...this.figures.retriedAfter },
    };
  }

  /** Accepted orders placed at or after `since`. */
  acceptedSince(since: number): string[] {
    return [...this.placedAt].filter(([, at]) => at >= since).map(([orderId]) => orderId);
  }

  private pick<T>(items: readonly T[]): T {
    return items[unsafeUniformIntDistribution(0, items.length - 1, this.random)] as T;
  }

  private card(): string {
    let roll = unsafeUniformIntDistribution(1, 100, this.random);
    for (const [paymentMethod, weight] of cards) {
      roll -= weight;
      if (roll <= 0) return paymentMethod;
    }
    return 'tok_visa';
  }

  private async placeOne(): Promise<void> {
    const customer = this.pick(this.customers);
    const product = this.pick(this.products);
    const quantity = unsafeUniformIntDistribution(1, 2, this.random);
    const paymentMethod = this.card();
    const idempotencyKey = randomUUID();
    this.figures.sent += 1;
    const at = Date.now();
    // As a careful client does: an answer that says nothing of the order (no answer, a 5xx, a 429)
    // is asked again with the same Idempotency-Key, so an order the platform did take is learned of
    // rather than lost to the invariant checker, and an order it did not take is placed once. An
    // answer that may hide a taken order (say, an insert applied whose acknowledgement was lost)
    // leaves the order open: it is asked about until an answer settles it, past `maxAttempts`.
    let mayBeTaken = false;
    for (let attempt = 1; ; attempt += 1) {
      let status: string;
      let why: string;
      try {
        const answer = await this.shop.placeOrder(customer, [{ sku: product.sku, quantity }], {
          paymentMethod,
          idempotencyKey,
        });
        if (answer.status === 202) {
          this.figures.accepted += 1;
          this.placedAt.set(answer.body.orderId as string, at);
          return;
        }
        status = String(answer.status);
        why = `${status} ${String(answer.body.type ?? '')}`.trim();
        if (answer.status < 500 && answer.status !== 429) {
          this.count(status);
          return;
        }
        mayBeTaken ||= mayHideTakenOrder(answer);
      } catch (error) {
        status = 'unanswered';
        why = status;
        // A refused connection sent nothing; one that broke may have carried the order.
        mayBeTaken ||= (error as { code?: string }).code !== 'ECONNREFUSED';
      }
      if (attempt >= maxAttempts && !(mayBeTaken && this.stillSettling())) {
        if (mayBeTaken) this.figures.unsettled += 1;
        else if (status === 'unanswered') this.figures.unanswered += 1;
        else this.count(status);
        return;
      }
      this.figures.retried += 1;
      this.figures.retriedAfter[why] = (this.figures.retriedAfter[why] ?? 0) + 1;
      await delay(fullJitterDelay(attempt, 250, 4000, Math.random) + 100);
    }
  }

  private stillSettling(): boolean {
    return this.stoppedAt === undefined || Date.now() - this.stoppedAt < settleAfterStopMs;
  }

  private count(status: string): void {
    this.figures.refused[status] = (this.figures.refused[status] ?? 0) + 1;
  }
}
