import { InMemoryOutboxStore, type OutboxDocument } from '@platform/messaging';
import { type AppendOutcome, type StockEntry, type StockLedger, entryIdOf } from './stock-ledger.port';

/** The embedded profile's ledger: check and insert run without an await between them, so each append is atomic. */
export class InMemoryStockLedger implements StockLedger {
  private readonly entries = new Map<string, OutboxDocument>();
  private readonly causes = new Map<string, string>();
  readonly outbox = new InMemoryOutboxStore(this.entries);

  async ensureIndexes(): Promise<void> {
    // The maps are their own unique indexes.
  }

  async head(sku: string): Promise<StockEntry | undefined> {
    return (await this.history(sku)).at(-1);
  }

  async findByCause(cause: string): Promise<StockEntry | undefined> {
    const id = this.causes.get(cause);
    return id === undefined ? undefined : this.read(id);
  }

  async append(entry: StockEntry): Promise<AppendOutcome> {
    if (this.causes.has(entry.cause)) return 'cause-taken';
    const id = entryIdOf(entry.sku, entry.version);
    if (this.entries.has(id)) return 'version-taken';
    this.entries.set(id, structuredClone(entry));
    this.causes.set(entry.cause, id);
    return 'appended';
  }

  async history(sku: string): Promise<StockEntry[]> {
    const prefix = `${sku}#`;
    return [...this.entries.keys()]
      .filter((id) => id.startsWith(prefix))
      .sort()
      .map((id) => this.read(id))
      .filter((entry): entry is StockEntry => entry !== undefined);
  }

  private read(id: string): StockEntry | undefined {
    const entry = this.entries.get(id);
    // The outbox store replaces documents when it removes a published event; read them afresh.
    return entry === undefined ? undefined : (structuredClone(entry) as StockEntry);
  }
}
