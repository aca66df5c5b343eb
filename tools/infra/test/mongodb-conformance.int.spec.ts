import { type Collection, type Db, type Document, MongoClient, MongoServerError } from 'mongodb';
import { requireInfrastructure } from '@platform/testing';
import { connection, uniqueName } from './connection.ts';

/*
 * The MongoDB promises the services build on, checked against whatever server MONGO_URL names: the
 * local stand-in of `npm run infra:up` (FerretDB with infra/local/ferretdb/mongodb-semantics.patch)
 * in CI, or a real MongoDB 7 (`MONGO_URL=mongodb://… npx nx integration infra`), which passes it
 * as it is. Nothing here knows which server it talks to, except how to read a query plan.
 */

const concurrency = 40;

/** Runs `count` copies of `operation` at once, each with its index, and waits for all of them. */
function atOnce<T>(
  count: number,
  operation: (index: number) => Promise<T>,
): Promise<PromiseSettledResult<T>[]> {
  return Promise.allSettled(Array.from({ length: count }, (_, index) => operation(index)));
}

function fulfilled<T>(results: PromiseSettledResult<T>[]): T[] {
  const rejected = results.filter((result) => result.status === 'rejected');
  if (rejected.length > 0) throw (rejected[0] as PromiseRejectedResult).reason;
  return results.map((result) => (result as PromiseFulfilledResult<T>).value);
}

/**
 * Whether a find's plan reads an index rather than the whole collection. MongoDB names its stages
 * (IXSCAN, IDHACK, EXPRESS_*, COLLSCAN); FerretDB on SQLite returns SQLite's EXPLAIN QUERY PLAN
 * rows, where `SEARCH … USING INDEX` reads an index and `SCAN <table>` reads every row.
 */
function planReadsAnIndex(explain: Document): boolean {
  const text = JSON.stringify(explain);
  if (text.includes('COLLSCAN')) return false;
  if (/IXSCAN|IDHACK|EXPRESS_/.test(text)) return true;
  const rows = (explain['queryPlanner'] as { Plan?: unknown } | undefined)?.Plan;
  return (
    Array.isArray(rows) &&
    rows.some((row) => /SEARCH \S+ USING (COVERING )?INDEX/.test(String(row))) &&
    !rows.some((row) => /detail=SCAN /.test(String(row)))
  );
}

describe('MongoDB semantics the services rely on (conformance; any MongoDB 7 passes it)', () => {
  const client = new MongoClient(connection.MONGO_URL, { serverSelectionTimeoutMS: 3000, maxPoolSize: 100 });
  let db: Db;
  beforeAll(async () => {
    await requireInfrastructure(`MongoDB at ${connection.MONGO_URL}`, () => client.connect());
    db = client.db(uniqueName('conformance'));
  });
  afterAll(async () => {
    await db?.dropDatabase().catch(() => undefined);
    await client.close();
  });

  const collection = <T extends Document>(name: string) => db.collection<T>(uniqueName(name));

  describe(`single-document atomicity, ${concurrency} writers at once`, () => {
    it('when every writer $incs one document with updateOne, then no increment is lost', async () => {
      const counters = collection<{ _id: string; n: number }>('inc');
      await counters.insertOne({ _id: 'c', n: 0 });
      fulfilled(await atOnce(concurrency, () => counters.updateOne({ _id: 'c' }, { $inc: { n: 1 } })));
      expect(await counters.findOne({ _id: 'c' })).toEqual({ _id: 'c', n: concurrency });
    });

    it('when every writer $incs with findOneAndUpdate, then each sees a different value and none is lost', async () => {
      const counters = collection<{ _id: string; n: number }>('inc_fam');
      await counters.insertOne({ _id: 'c', n: 0 });
      const seen = fulfilled(
        await atOnce(concurrency, () =>
          counters.findOneAndUpdate({ _id: 'c' }, { $inc: { n: 1 } }, { returnDocument: 'after' }),
        ),
      ).map((document) => document?.n);
      expect(new Set(seen).size).toBe(concurrency);
      expect(await counters.findOne({ _id: 'c' })).toEqual({ _id: 'c', n: concurrency });
    });

    it('when every writer sets a version guarded by the previous one, then exactly one wins', async () => {
      const aggregates = collection<{ _id: string; version: number; writer?: number }>('cas');
      await aggregates.insertOne({ _id: 'a', version: 0 });
      const results = fulfilled(
        await atOnce(concurrency, (writer) =>
          aggregates.updateOne({ _id: 'a', version: 0 }, { $set: { version: 1, writer } }),
        ),
      );
      const winners = results.flatMap((result, writer) => (result.modifiedCount === 1 ? [writer] : []));
      expect(winners).toHaveLength(1);
      expect(results.filter((result) => result.matchedCount === 1)).toHaveLength(1);
      expect(await aggregates.findOne({ _id: 'a' })).toEqual({ _id: 'a', version: 1, writer: winners[0] });
    });

    it('when every writer claims an unowned document with findOneAndUpdate, then exactly one gets it', async () => {
      const leases = collection<{ _id: string; owner: string | null }>('claim');
      await leases.insertOne({ _id: 'l', owner: null });
      const claims = fulfilled(
        await atOnce(concurrency, (writer) =>
          leases.findOneAndUpdate(
            { _id: 'l', owner: null },
            { $set: { owner: `relay-${writer}` } },
            { returnDocument: 'after' },
          ),
        ),
      ).filter((document) => document !== null);
      expect(claims).toHaveLength(1);
      expect(await leases.findOne({ _id: 'l' })).toEqual(claims[0]);
    });

    it('when a guarded counter may not go below zero, then exactly the available units are taken', async () => {
      const stock = collection<{ _id: string; available: number; reserved: number }>('stock');
      await stock.insertOne({ _id: 'sku', available: 7, reserved: 0 });
      const results = fulfilled(
        await atOnce(concurrency, () =>
          stock.updateOne({ _id: 'sku', available: { $gte: 1 } }, { $inc: { available: -1, reserved: 1 } }),
        ),
      );
      expect(results.filter((result) => result.modifiedCount === 1)).toHaveLength(7);
      expect(await stock.findOne({ _id: 'sku' })).toEqual({ _id: 'sku', available: 0, reserved: 7 });
    });

    it('when every writer pulls the same array element, then it is removed once and the rest stays', async () => {
      const aggregates = collection<{ _id: string; outbox: { id: string; n: number }[] }>('pull');
      await aggregates.insertOne({
        _id: 'a',
        outbox: [
          { id: 'e1', n: 1 },
          { id: 'e2', n: 2 },
        ],
      });
      const results = fulfilled(
        await atOnce(concurrency, () =>
          aggregates.updateOne({ _id: 'a', 'outbox.id': 'e1' }, { $pull: { outbox: { id: 'e1' } } }),
        ),
      );
      expect(results.filter((result) => result.modifiedCount === 1)).toHaveLength(1);
      expect(await aggregates.findOne({ _id: 'a' })).toEqual({ _id: 'a', outbox: [{ id: 'e2', n: 2 }] });
    });

    it('when every writer upserts one key of a unique compound index, then one document exists', async () => {
      const records = collection<{ userId: string; key: string; firstWriter?: number; writes?: number }>(
        'upsert',
      );
      await records.createIndex({ userId: 1, key: 1 }, { unique: true });
      const results = await atOnce(concurrency, (writer) =>
        records.updateOne(
          { userId: 'u1', key: 'k1' },
          { $setOnInsert: { firstWriter: writer }, $inc: { writes: 1 } },
          { upsert: true },
        ),
      );
      // MongoDB retries such an upsert itself; a server may also refuse the losers with E11000.
      for (const result of results)
        if (result.status === 'rejected') expect((result.reason as MongoServerError).code).toBe(11000);
      const writes = results.filter((result) => result.status === 'fulfilled').length;
      const documents = await records.find({ userId: 'u1', key: 'k1' }, { projection: { _id: 0 } }).toArray();
      expect(documents).toEqual([{ userId: 'u1', key: 'k1', firstWriter: expect.any(Number), writes }]);
    });

    it('when every writer inserts one key of a unique compound index, then one insert succeeds and the rest get 11000', async () => {
      const records = collection<{ userId: string; key: string; writer: number }>('insert_unique');
      await records.createIndex({ userId: 1, key: 1 }, { unique: true });
      const results = await atOnce(concurrency, (writer) =>
        records.insertOne({ userId: 'u1', key: 'k1', writer }),
      );
      expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(1);
      for (const result of results)
        if (result.status === 'rejected') expect((result.reason as MongoServerError).code).toBe(11000);
      expect(await records.countDocuments({ userId: 'u1' })).toBe(1);
    });

    it('when 120 connections write at once, then every write completes', async () => {
      // More connections than any server-side pool of a stand-in: none may lock the server up.
      const clients = Array.from(
        { length: 3 },
        () => new MongoClient(connection.MONGO_URL, { serverSelectionTimeoutMS: 3000, maxPoolSize: 40 }),
      );
      const name = uniqueName('connections');
      const countersOf = (one: MongoClient) =>
        one.db(db.databaseName).collection<{ _id: string; n: number }>(name);
      try {
        const counters = countersOf(client);
        await counters.insertOne({ _id: 'c', n: 0 });
        fulfilled(
          await atOnce(120, (writer) =>
            countersOf(clients[writer % clients.length] ?? client).updateOne(
              { _id: 'c' },
              { $inc: { n: 1 } },
            ),
          ),
        );
        expect(await counters.findOne({ _id: 'c' })).toEqual({ _id: 'c', n: 120 });
      } finally {
        await Promise.all(clients.map((one) => one.close()));
      }
    });
  });

  describe('array element queries', () => {
    it('when $pull has a query, then it removes the elements the query matches, whatever their other fields', async () => {
      const aggregates = collection<{ _id: string; items: Document[] }>('pull_query');
      await aggregates.insertOne({
        _id: 'a',
        items: [
          { id: 'x', n: 1 },
          { id: 'y', n: 2 },
          { id: 'x', n: 3 },
          { id: 'z', n: 9 },
        ],
      });
      await aggregates.updateOne({ _id: 'a' }, { $pull: { items: { id: 'x' } } });
      await aggregates.updateOne({ _id: 'a' }, { $pull: { items: { n: { $gte: 5 } } } });
      expect(await aggregates.findOne({ _id: 'a' })).toEqual({ _id: 'a', items: [{ id: 'y', n: 2 }] });
    });

    it('when $elemMatch queries the elements fields, then only documents with such an element match', async () => {
      const aggregates = collection<{ _id: string; items: Document[] }>('elem_match');
      await aggregates.insertMany([
        { _id: 'a', items: [{ id: 'x', n: 1 }] },
        { _id: 'b', items: [{ id: 'x', n: 5 }] },
      ]);
      const matched = await aggregates.find({ items: { $elemMatch: { id: 'x', n: { $gt: 2 } } } }).toArray();
      expect(matched.map((document) => document._id)).toEqual(['b']);
    });
  });

  describe('equality lookups read an index', () => {
    interface Shape {
      /** The service's query this shape stands for. */
      name: string;
      indexes: Document[];
      document: (index: number) => Document;
      filter: Document;
      /** What the filter finds among 2,000 documents made by `document`. */
      expected: number;
    }

    const shapes: Shape[] = [
      {
        name: 'an order, a stock document, a reservation, a refresh token by _id',
        indexes: [],
        document: (index) => ({ _id: `order-${index}` }),
        filter: { _id: 'order-1234' },
        expected: 1,
      },
      {
        name: 'documents by several _ids ($in)',
        indexes: [],
        document: (index) => ({ _id: `event-${index}` }),
        filter: { _id: { $in: ['event-1', 'event-1999', 'event-7'] } },
        expected: 3,
      },
      {
        name: 'a saga step guarded by its version (order: _id and saga.version)',
        indexes: [],
        document: (index) => ({ _id: `order-${index}`, saga: { version: index % 5 } }),
        filter: { _id: 'order-1234', 'saga.version': 4 },
        expected: 1,
      },
      {
        name: 'a user by email (auth, unique top-level string)',
        indexes: [{ email: 1 }],
        document: (index) => ({ email: `user-${index}@example.com` }),
        filter: { email: 'user-42@example.com' },
        expected: 1,
      },
      {
        name: 'an Idempotency-Key record by user and key (order: idempotency.userId + idempotency.key)',
        indexes: [{ 'idempotency.userId': 1, 'idempotency.key': 1 }],
        document: (index) => ({ idempotency: { userId: `user-${index % 100}`, key: `key-${index}` } }),
        filter: { 'idempotency.userId': 'user-7', 'idempotency.key': 'key-107' },
        expected: 1,
      },
      {
        name: 'a customer’s orders, newest first (order: userId, then sort and limit)',
        indexes: [{ userId: 1, createdAt: -1, _id: -1 }],
        document: (index) => ({ userId: `user-${index % 100}`, createdAt: new Date(index * 1000) }),
        filter: { userId: 'user-7' },
        expected: 20,
      },
      {
        name: 'aggregates with events to publish, from where the last scan stopped (outbox: outboxPending, _id range)',
        indexes: [{ outboxPending: 1, _id: 1 }],
        document: (index) => ({
          _id: `agg-${String(index).padStart(4, '0')}`,
          ...(index % 400 === 0 && { outboxPending: true }),
        }),
        filter: { outboxPending: true, _id: { $gt: 'agg-0400' } },
        expected: 3,
      },
      {
        name: 'unfinished sagas past their deadline (order: saga.saga, saga.status $in, saga.deadline range)',
        indexes: [{ 'saga.saga': 1, 'saga.status': 1, 'saga.deadline': 1 }],
        document: (index) => ({
          saga: { saga: 'order', status: index % 500 === 0 ? 'RUNNING' : 'COMPLETED', deadline: index },
        }),
        filter: {
          'saga.saga': 'order',
          'saga.status': { $in: ['RUNNING', 'COMPENSATING'] },
          'saga.deadline': { $lte: 1000 },
        },
        expected: 3,
      },
    ];

    it.each(shapes)('$name', async ({ indexes, document, filter, expected }) => {
      const documents = collection<Document>('lookup');
      for (const keys of indexes) await documents.createIndex(keys);
      await documents.insertMany(Array.from({ length: 2000 }, (_, index) => document(index)));
      const plan = await documents.find(filter).explain();
      expect({ filter, readsAnIndex: planReadsAnIndex(plan) }).toEqual({ filter, readsAnIndex: true });
      expect(await documents.countDocuments(filter)).toBe(expected);
    });

    it('when an equality field holds an array, then the lookup still finds the document', async () => {
      const documents = collection<Document>('lookup_array');
      await documents.createIndex({ tags: 1 });
      await documents.insertMany([{ tags: 'a' }, { tags: ['b', 'a'] }, { tags: ['b'] }, { other: 1 }]);
      expect(await documents.countDocuments({ tags: 'a' })).toBe(2);
    });

    it('when a dotted path runs through an array, then the lookup still finds the document', async () => {
      const documents = collection<Document>('lookup_dotted_array');
      await documents.createIndex({ 'items.sku': 1 });
      await documents.insertMany([
        { items: { sku: 'TEA' } },
        { items: [{ sku: 'COFFEE' }, { sku: 'TEA' }] },
        { items: [{ sku: 'COFFEE' }] },
      ]);
      expect(await documents.countDocuments({ 'items.sku': 'TEA' })).toBe(2);
    });

    it('when the plan of a lookup without an index is read, then it is seen as a full read', async () => {
      // The check above must be able to fail.
      const documents: Collection<Document> = collection<Document>('no_index');
      await documents.insertMany(Array.from({ length: 50 }, (_, index) => ({ colour: `c${index}` })));
      expect(planReadsAnIndex(await documents.find({ colour: 'c7' }).explain())).toBe(false);
    });
  });
  describe('numeric range conditions', () => {
    // One of each kind a range may meet. MongoDB compares numbers with numbers only: a string, a
    // date, null or an absent field never matches a numeric bound; an array matches through an element.
    const documents: Document[] = [
      { _id: 'int', n: 5 },
      { _id: 'double', n: 5.5 },
      { _id: 'big', n: 1_796_514_926_446 },
      { _id: 'high', n: 15 },
      { _id: 'negative', n: -3 },
      { _id: 'string', n: '7' },
      { _id: 'date', n: new Date(7) },
      { _id: 'null', n: null },
      { _id: 'absent' },
      { _id: 'array', list: [1, 20] },
      { _id: 'nested', s: { n: 8 } },
      { _id: 'through-array', s: [{ n: 30 }, { n: 3 }] },
    ];
    const cases: [filter: Document, ids: string[]][] = [
      [{ n: { $lte: 10 } }, ['double', 'int', 'negative']],
      [{ n: { $lt: 5 } }, ['negative']],
      [{ n: { $gte: 5.5, $lt: 16 } }, ['double', 'high']],
      [{ n: { $gt: 1_796_514_926_445 } }, ['big']],
      [{ list: { $lte: 1 } }, ['array']],
      [{ list: { $gt: 19 } }, ['array']],
      [{ 's.n': { $lte: 10 } }, ['nested', 'through-array']],
      [{ 's.n': { $gt: 10 } }, ['through-array']],
      [{ n: { $gt: 100 }, _id: { $in: ['int', 'big'] } }, ['big']],
    ];

    it.each(cases)('when the filter is %j, then exactly %j match', async (filter, ids) => {
      const values = collection<Document>('range');
      await values.createIndex({ n: 1 });
      await values.insertMany(documents);
      const found = await values.find(filter, { projection: { _id: 1 } }).toArray();
      expect(found.map((document) => document._id).sort()).toEqual([...ids].sort());
      expect(await values.countDocuments(filter)).toBe(ids.length);
    });
  });
});
