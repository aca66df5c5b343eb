import { type Collection, type Document, MongoServerError } from 'mongodb';
import { DuplicateIdempotencyKeyError } from '../domain';
import { MongoDurableIdempotencyRecords } from './mongo-durable-idempotency-records';

const scope = { userId: 'alice', key: 'k-1' };
const record = { fingerprint: 'fp', response: { status: 202, body: null, headers: {} } };

/** A collection whose insert fails with the given server error, as MongoDB reports it. */
function rejectingWith(error: Error): Collection<Document> {
  return { insertOne: () => Promise.reject(error) } as unknown as Collection<Document>;
}

const duplicate = (keyPattern?: Document) =>
  new MongoServerError({
    code: 11000,
    errmsg: 'E11000 duplicate key error',
    ...(keyPattern ? { keyPattern } : {}),
  });

describe('MongoDurableIdempotencyRecords.insertWith errors', () => {
  it('when the (user, key) index is violated, then it is a duplicate idempotency key', async () => {
    const records = new MongoDurableIdempotencyRecords(
      rejectingWith(duplicate({ 'idempotency.userId': 1, 'idempotency.key': 1 })),
    );
    await expect(records.insertWith(scope, record)).rejects.toBeInstanceOf(DuplicateIdempotencyKeyError);
  });

  it('when the server does not name the index, then a duplicate is taken as a used key', async () => {
    const records = new MongoDurableIdempotencyRecords(rejectingWith(duplicate()));
    await expect(records.insertWith(scope, record)).rejects.toBeInstanceOf(DuplicateIdempotencyKeyError);
  });

  it('when another unique index is violated (a duplicate _id), then that error propagates unchanged', async () => {
    const error = duplicate({ _id: 1 });
    const records = new MongoDurableIdempotencyRecords(rejectingWith(error));
    await expect(records.insertWith(scope, record)).rejects.toBe(error);
  });

  it('when the record sits under another field, then that field names the index', async () => {
    const records = new MongoDurableIdempotencyRecords(
      rejectingWith(duplicate({ 'request.userId': 1, 'request.key': 1 })),
      'request',
    );
    await expect(records.insertWith(scope, record)).rejects.toBeInstanceOf(DuplicateIdempotencyKeyError);
  });
});
