import { MongoClient, MongoServerError } from 'mongodb';
import { requireInfrastructure } from '@platform/testing';
import { connection, uniqueName } from './connection.ts';

describe('the MongoDB-wire server through the mongodb driver', () => {
  const client = new MongoClient(connection.MONGO_URL, { serverSelectionTimeoutMS: 3000 });
  const database = () => client.db(uniqueName('connectivity'));
  beforeAll(() => requireInfrastructure(`MongoDB at ${connection.MONGO_URL}`, () => client.connect()));
  afterAll(() => client.close());

  it('when documents are inserted, then a query finds them', async () => {
    const users = database().collection<{ email: string; name: string }>('users');
    await users.insertMany([
      { email: 'ada@example.com', name: 'Ada' },
      { email: 'alan@example.com', name: 'Alan' },
    ]);
    expect(await users.findOne({ email: 'alan@example.com' }, { projection: { _id: 0 } })).toEqual({
      email: 'alan@example.com',
      name: 'Alan',
    });
    expect(await users.countDocuments({})).toBe(2);
  });

  it('when a unique index is violated, then the driver throws a MongoServerError with code 11000', async () => {
    const users = database().collection<{ email: string }>('users');
    await users.createIndex({ email: 1 }, { unique: true });
    await users.insertOne({ email: 'ada@example.com' });
    const duplicate = await users.insertOne({ email: 'ada@example.com' }).catch((error: unknown) => error);
    expect(duplicate).toBeInstanceOf(MongoServerError);
    expect((duplicate as MongoServerError).code).toBe(11000);
    expect(await users.countDocuments({})).toBe(1);
  });

  it('when findOneAndUpdate has a condition, then the update applies only while it holds', async () => {
    // Single-document atomicity is what stock reservations and the outbox will rely on.
    const stock = database().collection<{ _id: string; available: number }>('stock');
    await stock.insertOne({ _id: 'sku-1', available: 1 });
    const reserve = () =>
      stock.findOneAndUpdate(
        { _id: 'sku-1', available: { $gte: 1 } },
        { $inc: { available: -1 } },
        { returnDocument: 'after' },
      );
    expect(await reserve()).toEqual({ _id: 'sku-1', available: 0 });
    expect(await reserve()).toBeNull();
  });

  it('when a document is looked up by _id, then the server searches the _id index rather than scanning', async () => {
    // FerretDB's SQLite backend scanned here until the build patch in tools/infra/src/servers/ferretdb.ts.
    const orders = database().collection<{ _id: string }>('orders');
    await orders.insertMany(Array.from({ length: 20 }, (_, index) => ({ _id: `order-${index}` })));
    const plan = JSON.stringify(await orders.find({ _id: 'order-7' }).explain());
    // FerretDB's plan is SQLite's (SEARCH … USING INDEX, not SCAN); MongoDB's are the other two.
    expect(plan).toMatch(/SEARCH \S+ USING INDEX|IDHACK|EXPRESS_IXSCAN/);
    expect(await orders.findOne({ _id: 'order-7' })).toEqual({ _id: 'order-7' });
  });
});
