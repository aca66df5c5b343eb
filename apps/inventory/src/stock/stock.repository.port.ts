import type { OutboxStore, StoredOutboxEvent } from '@platform/messaging';
import type { Stock } from '../domain/stock-holds';

/** One sku's stock as stored: one document per sku, every change guarded by its version. */
export interface StoredStock extends Stock {
  sku: string;
  /** How many changes it has seen; 0 (nothing stored) while it is still the product's initial stock. */
  version: number;
}

export const STOCK_REPOSITORY = Symbol('StockRepository');

export interface StockRepository {
  ensureIndexes(): Promise<void>;
  /** The sku's stock, or undefined while it never changed. */
  find(sku: string): Promise<StoredStock | undefined>;
  /**
   * Stores `stock`, computed from version `stock.version - 1`, with its events, if the stored
   * version is still that one (version 1: if nothing is stored yet), and wakes the outbox relay.
   * False when another writer changed the stock first: of concurrent saves from one version,
   * exactly one succeeds.
   */
  save(stock: StoredStock, events: readonly StoredOutboxEvent[]): Promise<boolean>;
  readonly outbox: OutboxStore;
}
