import { MongoServerError, type Collection, type Db } from 'mongodb';
import { MongoOutboxStore } from '@platform/messaging';
import { type AppendOutcome, type StockEntry, type StockLedger, entryIdOf } from './stock-ledger.port';

type StockEntryDocument = StockEntry & { _id: string };

const duplicateKey = 11000;

/** The ledger in MongoDB: `_id` `<sku>#<version>` and a unique `cause`; the entries carry their own outbox. */
export class MongoStockLedger implements StockLedger {
  private readonly entries: Collection<StockEntryDocument>;
  readonly outbox: MongoOutboxStore;

  constructor(db: Db, collectionName = 'stock_ledger') {
    this.entries = db.collection<StockEntryDocument>(collectionName);
    this.outbox = new MongoOutboxStore(db, collectionName);
  }

  async ensureIndexes(): Promise<void> {
    await this.entries.createIndex({ cause: 1 }, { unique: true, name: 'cause_unique' });
    await this.entries.createIndex({ sku: 1, version: -1 }, { name: 'sku_version' });
    await this.outbox.ensureIndexes();
  }

  async head(sku: string): Promise<StockEntry | undefined> {
    const [latest] = await this.entries.find({ sku }).sort({ version: -1 }).limit(1).toArray();
    return entryOf(latest);
  }

  async findByCause(cause: string): Promise<StockEntry | undefined> {
    return entryOf(await this.entries.findOne({ cause }));
  }

  async append(entry: StockEntry): Promise<AppendOutcome> {
    try {
      await this.entries.insertOne({ _id: entryIdOf(entry.sku, entry.version), ...entry });
      return 'appended';
    } catch (error) {
      if (!(error instanceof MongoServerError && error.code === duplicateKey)) throw error;
      // Which key was taken is read back rather than parsed from the error, whose details differ between servers.
      return (await this.findByCause(entry.cause)) ? 'cause-taken' : 'version-taken';
    }
  }

  async history(sku: string): Promise<StockEntry[]> {
    const entries = await this.entries.find({ sku }).sort({ version: 1 }).toArray();
    return entries.map((document) => entryOf(document) as StockEntry);
  }
}

function entryOf(document: StockEntryDocument | null | undefined): StockEntry | undefined {
  if (!document) return undefined;
  const { _id, ...entry } = document;
  return { ...entry, outbox: entry.outbox ?? [] };
}
