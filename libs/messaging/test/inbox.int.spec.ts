import { randomUUID } from 'node:crypto';
import type { Collection } from 'mongodb';
import { inboxKeyOf } from '../src/inbox/inbox.port';
import { MongoInbox } from '../src/inbox/mongo-inbox';
import { describeInboxContract } from './inbox.contract';
import { connectToTestDatabase, uniqueCollectionName } from './support/outbox-mongo';

let database: Awaited<ReturnType<typeof connectToTestDatabase>>;
beforeAll(async () => {
  database = await connectToTestDatabase('messaging-inbox-test');
});
afterAll(() => database.close());

describeInboxContract('MongoDB', async (clock) => {
  const collection = uniqueCollectionName('inbox_processed_events');
  return {
    inbox: new MongoInbox(database.db, { collection, clock, processingLeaseMs: 60_000 }),
    cleanup: async () => {
      await database.db.collection(collection).drop();
    },
  };
});

interface StockDocument {
  _id: string;
  available: number;
  reserved: number;
  status: 'open' | 'closed';
  inbox?: string[];
}

describe('MongoInbox.applyOnceToDocument, the event recorded in the document it changes', () => {
  let inbox: MongoInbox;
  let stock: Collection<StockDocument>;
  beforeAll(() => {
    inbox = new MongoInbox(database.db, { collection: uniqueCollectionName('inbox_processed_events') });
    stock = database.db.collection<StockDocument>(uniqueCollectionName('stock'));
  });

  async function aStockDocument(overrides: Partial<StockDocument> = {}): Promise<string> {
    const _id = randomUUID();
    await stock.insertOne({ _id, available: 10, reserved: 0, status: 'open', ...overrides });
    return _id;
  }

  const reserveOne = (documentId: string) => ({
    collection: stock,
    documentId,
    guard: { status: 'open' as const },
    update: { $inc: { available: -1, reserved: 1 } },
  });

  it('when an event is applied, then the document changes and carries the event key in the same write', async () => {
    const documentId = await aStockDocument();
    const eventId = randomUUID();
    expect(await inbox.applyOnceToDocument('inventory', eventId, reserveOne(documentId))).toEqual({
      kind: 'processed',
      result: 'applied',
    });
    expect(await stock.findOne({ _id: documentId })).toMatchObject({
      available: 9,
      reserved: 1,
      inbox: [inboxKeyOf('inventory', eventId)],
    });
  });

  it('when the same event is applied again, then it is a duplicate and the document is unchanged', async () => {
    const documentId = await aStockDocument();
    const eventId = randomUUID();
    await inbox.applyOnceToDocument('inventory', eventId, reserveOne(documentId));
    expect(await inbox.applyOnceToDocument('inventory', eventId, reserveOne(documentId))).toEqual({
      kind: 'duplicate',
    });
    expect(await stock.findOne({ _id: documentId })).toMatchObject({ available: 9, reserved: 1 });
  });

  it('when the same event is applied by five concurrent deliveries, then the document changes once', async () => {
    const documentId = await aStockDocument();
    const eventId = randomUUID();
    const outcomes = await Promise.allSettled(
      Array.from({ length: 5 }, () =>
        inbox.applyOnceToDocument('inventory', eventId, reserveOne(documentId)),
      ),
    );
    const applied = outcomes.filter(
      (outcome) => outcome.status === 'fulfilled' && outcome.value.kind === 'processed',
    );
    expect(applied).toHaveLength(1);
    expect(await stock.findOne({ _id: documentId })).toMatchObject({
      available: 9,
      reserved: 1,
      inbox: [inboxKeyOf('inventory', eventId)],
    });
  });

  it('when two groups apply the same event to one document, then each applies it once', async () => {
    const documentId = await aStockDocument();
    const eventId = randomUUID();
    await inbox.applyOnceToDocument('inventory', eventId, reserveOne(documentId));
    await inbox.applyOnceToDocument('inventory-audit', eventId, reserveOne(documentId));
    expect(await stock.findOne({ _id: documentId })).toMatchObject({ available: 8, reserved: 2 });
  });

  it('when the guard does not hold, then nothing changes and the event counts as processed with not-matched', async () => {
    const documentId = await aStockDocument({ status: 'closed' });
    const eventId = randomUUID();
    expect(await inbox.applyOnceToDocument('inventory', eventId, reserveOne(documentId))).toEqual({
      kind: 'processed',
      result: 'not-matched',
    });
    expect(await stock.findOne({ _id: documentId })).toMatchObject({ available: 10, reserved: 0 });
    expect(await inbox.applyOnceToDocument('inventory', eventId, reserveOne(documentId))).toEqual({
      kind: 'duplicate',
    });
  });

  it('when the document already carries the event (a crash before the inbox record completed), then the update is not applied again', async () => {
    const eventId = randomUUID();
    const documentId = await aStockDocument({
      available: 9,
      reserved: 1,
      inbox: [inboxKeyOf('inventory', eventId)],
    });
    expect(await inbox.applyOnceToDocument('inventory', eventId, reserveOne(documentId))).toEqual({
      kind: 'processed',
      result: 'already-applied',
    });
    expect(await stock.findOne({ _id: documentId })).toMatchObject({ available: 9, reserved: 1 });
  });
});
