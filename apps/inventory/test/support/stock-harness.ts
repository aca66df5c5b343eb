import { InMemoryProductCache } from '../../src/products/in-memory-product-cache';
import { InMemoryProductsRepository } from '../../src/products/in-memory-products.repository';
import type { ProductsRepository } from '../../src/products/products.repository.port';
import { CommitStock } from '../../src/reservations/commit-stock';
import { InMemoryReservationsRepository } from '../../src/reservations/in-memory-reservations.repository';
import { OrderStockSteps } from '../../src/reservations/order-stock-steps';
import { ReleaseStock } from '../../src/reservations/release-stock';
import { ReserveStock } from '../../src/reservations/reserve-stock';
import type { ReservationsRepository } from '../../src/reservations/reservations.repository.port';
import { InMemoryStockRepository } from '../../src/stock/in-memory-stock.repository';
import { StockChanges } from '../../src/stock/stock-changes';
import type { StockRepository } from '../../src/stock/stock.repository.port';

export interface StockStores {
  products: ProductsRepository;
  stock: StockRepository;
  reservations: ReservationsRepository;
}

export function inMemoryStockStores(): StockStores {
  return {
    products: new InMemoryProductsRepository(),
    stock: new InMemoryStockRepository(),
    reservations: new InMemoryReservationsRepository(),
  };
}

/** The stock use cases over given stores, as createApp wires them. */
export function stockHarness(stores: StockStores = inMemoryStockStores()) {
  const cache = new InMemoryProductCache(60_000);
  const stock = new StockChanges(stores.stock, stores.products, cache);
  const steps = new OrderStockSteps(stock);
  return {
    ...stores,
    cache,
    changes: stock,
    reserveStock: new ReserveStock(stores.reservations, stock, steps),
    commitStock: new CommitStock(stores.reservations, steps),
    releaseStock: new ReleaseStock(stores.reservations, steps),
    /** The current level of a sku. */
    levelOf: async (sku: string) => (await stock.current(sku))?.level,
    /** The current stock of a sku: level, holds and version. */
    stockOf: (sku: string) => stock.current(sku),
  };
}

/**
 * `target` with `method` replaced once, at its `nth` call from now (1: the next): the replacement
 * runs instead of it (a crash is a replacement that throws; a stale read one that answers old data).
 */
export function replaceOnce<T extends object, K extends keyof T>(
  target: T,
  method: K,
  nth: number,
  replacement: T[K],
): void {
  const original = target[method] as (...args: unknown[]) => unknown;
  let calls = 0;
  target[method] = ((...args: unknown[]) => {
    calls += 1;
    if (calls === nth) return (replacement as (...args: unknown[]) => unknown)(...args);
    return original.apply(target, args);
  }) as T[K];
}
