import { Logger } from '@nestjs/common';
import type { Registry } from 'prom-client';
import { z } from 'zod';
import {
  type BalancedHttpClient,
  baseUrlsOf,
  CircuitOpenError,
  createBalancedHttpClient,
  type ResilienceLogger,
} from '@platform/resilience';
import { PricesUnavailableError, UnknownSkusError } from '../domain/errors';
import type { PriceList, ProductPrice } from './price-list.port';

export interface InventoryPriceListOptions {
  /** One base URL, or several separated by commas: inventory's instances, called in turn. */
  baseUrl: string;
  /** Per attempt, until the headers arrive. */
  timeoutMs: number;
  /** How long the breaker stays open. */
  breakerResetMs: number;
  registry?: Registry;
  logger?: ResilienceLogger;
}

/** What a product read must hold; anything else is a broken answer, not a price. */
const productAnswer = z.object({
  sku: z.string(),
  priceCents: z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER),
  currency: z.string().regex(/^[A-Z]{3}$/),
});

/** While the breaker is closed, a failing inventory is asked again soon; an open one says when. */
const retryAfterFailureSeconds = 1;

/**
 * Prices read from the inventory service, `GET /api/products/{sku}`, one call per sku in parallel,
 * through a resilient client: a timeout per attempt, retries (a GET is idempotent) and a breaker
 * that answers at once while inventory is down. A 404 is an answer (an unknown sku), never a failure.
 */
export class InventoryPriceList implements PriceList {
  private readonly client: BalancedHttpClient;
  private readonly logger = new Logger('pricing');

  constructor(options: InventoryPriceListOptions) {
    this.client = createBalancedHttpClient({
      baseUrls: baseUrlsOf(options.baseUrl),
      name: 'inventory',
      timeoutMs: options.timeoutMs,
      retry: { maxAttempts: 3, baseDelayMs: 50, maxDelayMs: 500 },
      breaker: { resetMs: options.breakerResetMs, volumeThreshold: 5, errorThresholdPercent: 50 },
      ...(options.registry && { registry: options.registry }),
      ...(options.logger && { logger: options.logger }),
    });
  }

  async pricesOf(skus: readonly string[]): Promise<Map<string, ProductPrice>> {
    const answers = await Promise.allSettled(
      skus.map(async (sku) => ({ sku, price: await this.priceOf(sku) })),
    );
    const prices = new Map<string, ProductPrice>();
    const unknown: string[] = [];
    for (const answer of answers) {
      // Any failure wins over unknown skus: without every answer nothing can be decided.
      if (answer.status === 'rejected') throw this.unavailable(answer.reason);
      if (answer.value.price) prices.set(answer.value.sku, answer.value.price);
      else unknown.push(answer.value.sku);
    }
    if (unknown.length > 0) throw new UnknownSkusError(unknown);
    return prices;
  }

  close(): Promise<void> {
    return this.client.close();
  }

  /** The sku's price, or undefined when inventory does not know it. */
  private async priceOf(sku: string): Promise<ProductPrice | undefined> {
    const response = await this.client.request({
      method: 'GET',
      path: `/api/products/${encodeURIComponent(sku)}`,
      headers: { accept: 'application/json' },
    });
    if (response.statusCode === 404) {
      await response.body.dump();
      return undefined;
    }
    if (response.statusCode !== 200) {
      await response.body.dump();
      throw new Error(`inventory answered ${response.statusCode} for ${sku}`);
    }
    const product = productAnswer.safeParse(await response.body.json());
    if (!product.success || product.data.sku !== sku)
      throw new Error(`inventory answered a malformed product for ${sku}`);
    return { sku, priceCents: product.data.priceCents, currency: product.data.currency };
  }

  private unavailable(cause: unknown): PricesUnavailableError {
    this.logger.warn(`prices unavailable: ${cause instanceof Error ? cause.message : String(cause)}`);
    const retryAfterMs =
      cause instanceof CircuitOpenError ? cause.retryAfterMs : retryAfterFailureSeconds * 1000;
    return new PricesUnavailableError(Math.max(1, Math.ceil(retryAfterMs / 1000)));
  }
}
