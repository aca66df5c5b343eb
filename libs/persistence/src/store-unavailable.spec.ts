import { errors as cassandraErrors } from 'cassandra-driver';
import { MongoNetworkError, MongoServerError, MongoServerSelectionError } from 'mongodb';
import { isStoreUnavailable } from './store-unavailable';

describe('isStoreUnavailable', () => {
  it.each([
    ['a MongoDB network error', new MongoNetworkError('connection 2 to 127.0.0.1:27017 closed')],
    [
      'a MongoDB server selection timeout',
      new MongoServerSelectionError('Server selection timed out after 3000 ms', {
        error: undefined,
      } as never),
    ],
    ['Cassandra with no host available', new cassandraErrors.NoHostAvailableError({})],
    [
      'a Cassandra client-side timeout',
      new cassandraErrors.OperationTimedOutError('timed out', '127.0.0.1:9042'),
    ],
    [
      'one of those as the cause of another',
      new Error('reserving stock failed', { cause: new MongoNetworkError('closed') }),
    ],
  ])('when the error is %s, then the store is unavailable', (_what, error) => {
    expect(isStoreUnavailable(error)).toBe(true);
  });

  it.each([
    ['a duplicate key', new MongoServerError({ code: 11000, errmsg: 'E11000' })],
    ['a Cassandra refusal', new cassandraErrors.ResponseError(0x2200, 'invalid query')],
    ['a bug', new TypeError('x is undefined')],
    ['not an error', 'unavailable'],
  ])('when the error is %s, then it is not', (_what, error) => {
    expect(isStoreUnavailable(error)).toBe(false);
  });
});
