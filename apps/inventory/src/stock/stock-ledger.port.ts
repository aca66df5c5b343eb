import type { OutboxStore, StoredOutboxEvent } from '@platform/messaging';
import type { StockChangeKind, StockLevel } from '../domain/stock-level';

/**
 * One version of one sku's stock. Entries are only ever inserted: version n+1 is written by whoever
 * inserts `<sku>#<n+1>` first, and `cause` is unique, so one step of one order (or one restock) is
 * applied at most once. Both keys are unique indexes, which MongoDB and FerretDB enforce under any
 * concurrency, unlike conditional updates.
 */
export interface StockEntry extends StockLevel {
  sku: string;
  /** 1 for the first change; version 0 is the product's initial stock. */
  version: number;
  kind: StockChangeKind;
  quantity: number;
  cause: string;
  at: Date;
  /** ProductChanged, written with the change; the relay publishes it. */
  outbox: StoredOutboxEvent[];
}

export type AppendOutcome = 'appended' | 'version-taken' | 'cause-taken';

export const STOCK_LEDGER = Symbol('StockLedger');

export interface StockLedger {
  ensureIndexes(): Promise<void>;
  /** The latest entry of the sku, or undefined while its stock is still the initial one. */
  head(sku: string): Promise<StockEntry | undefined>;
  findByCause(cause: string): Promise<StockEntry | undefined>;
  /** Inserts the entry unless its version or its cause is already taken, and says which. */
  append(entry: StockEntry): Promise<AppendOutcome>;
  /** Every entry of the sku, oldest first (audits and tests). */
  history(sku: string): Promise<StockEntry[]>;
  readonly outbox: OutboxStore;
}

/** `<sku>#000000042`: entries of a sku sort by version under plain string order. */
export function entryIdOf(sku: string, version: number): string {
  return `${sku}#${String(version).padStart(9, '0')}`;
}
