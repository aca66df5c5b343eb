import { InMemoryProductCache } from '../../src/products/in-memory-product-cache';
import { InMemoryProductsRepository } from '../../src/products/in-memory-products.repository';
import type { ProductsRepository } from '../../src/products/products.repository.port';
import { CommitStock } from '../../src/reservations/commit-stock';
import { InMemoryReservationsRepository } from '../../src/reservations/in-memory-reservations.repository';
import { OrderStockSteps } from '../../src/reservations/order-stock-steps';
import { ReleaseStock } from '../../src/reservations/release-stock';
import { ReserveStock } from '../../src/reservations/reserve-stock';
import type { ReservationsRepository } from '../../src/reservations/reservations.repository.port';
import { InMemoryStockLedger } from '../../src/stock/in-memory-stock-ledger';
import type { StockLedger } from '../../src/stock/stock-ledger.port';
import { StockChanges } from '../../src/stock/stock-changes';

/** The stock use cases over given stores (in memory unless told), as createApp wires them. */
export function stockHarness(
  stores: { products?: ProductsRepository; ledger?: StockLedger; reservations?: ReservationsRepository } = {},
) {
  const products = stores.products ?? new InMemoryProductsRepository();
  const ledger = stores.ledger ?? new InMemoryStockLedger();
  const reservations = stores.reservations ?? new InMemoryReservationsRepository();
  const cache = new InMemoryProductCache(60_000);
  const stock = new StockChanges(ledger, products, cache);
  const steps = new OrderStockSteps(stock);
  return {
    products,
    ledger,
    reservations,
    cache,
    stock,
    reserveStock: new ReserveStock(reservations, stock, steps),
    commitStock: new CommitStock(reservations, steps),
    releaseStock: new ReleaseStock(reservations, steps),
    /** The current level of a sku. */
    levelOf: async (sku: string) => (await stock.current(sku))?.level,
  };
}
