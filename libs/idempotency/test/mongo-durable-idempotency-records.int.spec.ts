import { DuplicateIdempotencyKeyError, MongoDurableIdempotencyRecords } from '../src';
import { createMongoClient } from '@platform/persistence';
import { connectMongo, mongoUrl } from './mongo-harness';

const scope = { userId: 'alice', key: 'k-1' };
const record = {
  fingerprint: 'fp-1',
  response: {
    status: 202,
    body: { orderId: 'o-1', status: 'PENDING' },
    headers: { Location: '/api/orders/o-1' },
  },
};

describe('MongoDurableIdempotencyRecords against a real server', () => {
  let harness: Awaited<ReturnType<typeof connectMongo>>;
  let records: MongoDurableIdempotencyRecords;

  beforeEach(async () => {
    harness = await connectMongo('idempotency-mongo-test');
    records = new MongoDurableIdempotencyRecords(harness.orders);
    await records.ensureIndex();
  });
  afterEach(() => harness.drop());

  it('when an order is inserted with its key, then the record is found with it', async () => {
    await records.insertWith(scope, record, { _id: 'o-1' as never, status: 'PENDING' });
    expect(await records.find('alice', 'k-1')).toEqual(record);
    expect(await harness.orders.findOne({ _id: 'o-1' as never })).toMatchObject({
      status: 'PENDING',
      idempotency: { userId: 'alice', key: 'k-1', fingerprint: 'fp-1' },
    });
  });

  it('when no order carries the key, or another user does, then nothing is found', async () => {
    await records.insertWith(scope, record);
    expect(await records.find('bob', 'k-1')).toBeUndefined();
    expect(await records.find('alice', 'k-2')).toBeUndefined();
  });

  it('when a second insert uses the same user and key, then the unique index rejects it as a duplicate', async () => {
    await records.insertWith(scope, record);
    await expect(records.insertWith(scope, { ...record, fingerprint: 'fp-2' })).rejects.toBeInstanceOf(
      DuplicateIdempotencyKeyError,
    );
    expect(await harness.orders.countDocuments()).toBe(1);
    expect(await records.find('alice', 'k-1')).toEqual(record);
  });

  it('when another user inserts the same key, then both are stored', async () => {
    await records.insertWith(scope, record);
    await records.insertWith({ ...scope, userId: 'bob' }, record);
    expect(await harness.orders.countDocuments()).toBe(2);
  });

  it('when the server cannot be reached, then that error propagates unchanged', async () => {
    const closed = createMongoClient(mongoUrl, 'idempotency-mongo-closed');
    await closed.close();
    const unreachable = new MongoDurableIdempotencyRecords(
      closed.db(harness.orders.dbName).collection('orders'),
    );
    const failure = unreachable.insertWith(scope, record);
    await expect(failure).rejects.toThrow();
    await expect(failure).rejects.not.toBeInstanceOf(DuplicateIdempotencyKeyError);
  });
});
