import { ProductChanged } from '@platform/contracts';
import { InsufficientStockError, StockContentionError } from '../domain/errors';
import type { Product } from '../domain/product';
import {
  type StockChangeKind,
  type StockLevel,
  applyStockChange,
  initialStockLevel,
} from '../domain/stock-level';
import { type EventOrigin, newOutboxEvent } from '../outbox/new-outbox-event';
import type { ProductCache } from '../products/product-cache.port';
import type { ProductsRepository } from '../products/products.repository.port';
import type { StockEntry, StockLedger } from './stock-ledger.port';

export interface StockChange {
  sku: string;
  kind: StockChangeKind;
  quantity: number;
  /** Unique per change: a second change with the same cause is not applied. */
  cause: string;
}

export type StockChangeResult =
  | { kind: 'applied'; level: StockLevel }
  | { kind: 'already-applied' }
  | { kind: 'unknown-sku' }
  | { kind: 'insufficient'; available: number };

/** The current stock of a product: version 0 is its initial stock, later versions its ledger entries. */
export interface CurrentStock {
  product: Product;
  version: number;
  level: StockLevel;
}

/** A sku's writers race for its next version; past this many lost races the change is retried later. */
const maxAttempts = 200;

/**
 * Applies stock changes through the ledger with optimistic concurrency: read the head (version n),
 * compute the next level, insert version n+1; a lost race re-reads and tries again. Each change
 * writes its ProductChanged in the same entry and drops the product's cached view.
 */
export class StockChanges {
  constructor(
    private readonly ledger: StockLedger,
    private readonly products: ProductsRepository,
    private readonly cache: ProductCache,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  async current(sku: string): Promise<CurrentStock | undefined> {
    const product = await this.products.find(sku);
    return product && this.currentOf(product);
  }

  async currentOf(product: Product): Promise<CurrentStock> {
    const head = await this.ledger.head(product.sku);
    return head
      ? { product, version: head.version, level: levelOf(head) }
      : { product, version: 0, level: initialStockLevel(product.initialStock) };
  }

  async isApplied(cause: string): Promise<boolean> {
    return (await this.ledger.findByCause(cause)) !== undefined;
  }

  /** The quantity the change with this cause moved, or undefined when it was never applied. */
  async appliedQuantity(cause: string): Promise<number | undefined> {
    return (await this.ledger.findByCause(cause))?.quantity;
  }

  async apply(change: StockChange, origin: EventOrigin): Promise<StockChangeResult> {
    const product = await this.products.find(change.sku);
    if (!product) return { kind: 'unknown-sku' };
    for (let attempt = 0; attempt < maxAttempts; attempt++) {
      if (await this.isApplied(change.cause)) return { kind: 'already-applied' };
      const { version, level } = await this.currentOf(product);
      let next: StockLevel;
      try {
        next = applyStockChange(level, change.kind, change.quantity);
      } catch (error) {
        if (error instanceof InsufficientStockError)
          return { kind: 'insufficient', available: error.available };
        throw error;
      }
      const now = this.clock();
      const outcome = await this.ledger.append(entryOf(product, change, version + 1, next, origin, now));
      if (outcome === 'cause-taken') return { kind: 'already-applied' };
      if (outcome === 'appended') {
        await this.cache.invalidate(change.sku);
        return { kind: 'applied', level: next };
      }
    }
    throw new StockContentionError(change.sku);
  }
}

function entryOf(
  product: Product,
  change: StockChange,
  version: number,
  level: StockLevel,
  origin: EventOrigin,
  now: Date,
): StockEntry {
  const { sku, name, priceCents, currency } = product;
  return {
    sku,
    version,
    ...level,
    kind: change.kind,
    quantity: change.quantity,
    cause: change.cause,
    at: now,
    outbox: [
      newOutboxEvent(
        ProductChanged,
        { sku, name, priceCents, currency, available: level.available },
        origin,
        now,
      ),
    ],
  };
}

function levelOf({ available, reserved, sold, initial, restocked }: StockEntry): StockLevel {
  return { available, reserved, sold, initial, restocked };
}
