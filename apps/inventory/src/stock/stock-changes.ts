import { InsufficientStockError, StockContentionError } from '../domain/errors';
import type { Product } from '../domain/product';
import {
  type HoldRemoval,
  type Stock,
  type StockHold,
  holdOf,
  placeHold,
  removeHold,
  restock,
} from '../domain/stock-holds';
import { type StockLevel, initialStockLevel } from '../domain/stock-level';
import type { EventOrigin } from '../outbox/event-origin';
import type { ProductCache } from '../products/product-cache.port';
import { productChangedEvent } from '../products/product-changed';
import type { ProductsRepository } from '../products/products.repository.port';
import type { StockRepository, StoredStock } from './stock.repository.port';

/** The current stock of a product: version 0 is its initial stock, each change adds one. */
export interface CurrentStock extends Stock {
  product: Product;
  version: number;
}

export type UnknownSku = { kind: 'unknown-sku' };

/** 'held' names the order's hold on this stock: the one just placed, or one an earlier attempt placed. */
export type HoldResult =
  { kind: 'held'; hold: StockHold } | { kind: 'insufficient'; available: number } | UnknownSku;

/** What a change decided: the stock to save (none: nothing changes) and the caller's answer. */
interface Decision<T> {
  next?: Stock;
  result: T;
}

/** A sku's writers race for its next version; past this many lost races the change is retried later. */
const maxAttempts = 200;

/** The product's stock as stored, or its initial stock while nothing is stored. */
function currentStockOf(product: Product, stored: StoredStock | undefined): CurrentStock {
  return stored
    ? { product, version: stored.version, level: stored.level, holds: stored.holds }
    : { product, version: 0, level: initialStockLevel(product.initialStock), holds: [] };
}

/**
 * Changes a sku's stock with optimistic concurrency: read it (version n), decide the next stock
 * with the domain rules, save it guarded by version n; a lost race reads again and decides again.
 * Each change writes its ProductChanged in the same save and drops the product's cached view.
 */
export class StockChanges {
  constructor(
    private readonly stock: StockRepository,
    private readonly products: ProductsRepository,
    private readonly cache: ProductCache,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  /** The product and its stock, read at once: one round trip's wait, not two, on every price look-up and reservation. */
  async current(sku: string): Promise<CurrentStock | undefined> {
    const [product, stored] = await Promise.all([this.products.find(sku), this.stock.find(sku)]);
    return product && currentStockOf(product, stored);
  }

  async currentOf(product: Product): Promise<CurrentStock> {
    return currentStockOf(product, await this.stock.find(product.sku));
  }

  async restock(
    sku: string,
    quantity: number,
    origin: EventOrigin,
  ): Promise<{ kind: 'restocked'; product: Product; level: StockLevel } | UnknownSku> {
    return this.change(sku, origin, (stock) => {
      const next = restock(stock, quantity);
      return { next, result: { kind: 'restocked', product: stock.product, level: next.level } };
    });
  }

  /** Places the order's hold, unless the order holds this stock already (an earlier attempt's hold stands). */
  async hold(sku: string, hold: StockHold, origin: EventOrigin): Promise<HoldResult> {
    return this.change(sku, origin, (stock): Decision<HoldResult> => {
      const existing = holdOf(stock, hold.orderId);
      if (existing) return { result: { kind: 'held', hold: existing } };
      try {
        return { next: placeHold(stock, hold), result: { kind: 'held', hold } };
      } catch (error) {
        if (!(error instanceof InsufficientStockError)) throw error;
        return { result: { kind: 'insufficient', available: error.available } };
      }
    });
  }

  /** Removes exactly this hold, moving its quantity on; 'absent' when it is not there (removed before). */
  async removeHold(
    sku: string,
    hold: StockHold,
    removal: HoldRemoval,
    origin: EventOrigin,
  ): Promise<{ kind: 'removed' | 'absent' } | UnknownSku> {
    return this.change(sku, origin, (stock): Decision<{ kind: 'removed' | 'absent' }> => {
      const held = holdOf(stock, hold.orderId);
      return held?.holdId === hold.holdId
        ? { next: removeHold(stock, held, removal), result: { kind: 'removed' } }
        : { result: { kind: 'absent' } };
    });
  }

  /** Gives back the order's hold on this stock unless it is the one its reservation owns (`owned`). */
  async giveBack(
    sku: string,
    orderId: string,
    owned: string | undefined,
    origin: EventOrigin,
  ): Promise<void> {
    await this.change(sku, origin, (stock): Decision<void> => {
      const held = holdOf(stock, orderId);
      return held && held.holdId !== owned
        ? { next: removeHold(stock, held, 'unreserve'), result: undefined }
        : { result: undefined };
    });
  }

  private async change<T>(
    sku: string,
    origin: EventOrigin,
    decide: (stock: CurrentStock) => Decision<T>,
  ): Promise<T | UnknownSku> {
    const product = await this.products.find(sku);
    if (!product) return { kind: 'unknown-sku' };
    for (let attempt = 0; attempt < maxAttempts; attempt++) {
      const current = await this.currentOf(product);
      const { next, result } = decide(current);
      if (!next) return result;
      const event = productChangedEvent(product, next.level.available, origin, this.clock());
      if (await this.stock.save({ sku, version: current.version + 1, ...next }, [event])) {
        await this.cache.invalidate(sku);
        return result;
      }
    }
    throw new StockContentionError(sku);
  }
}
