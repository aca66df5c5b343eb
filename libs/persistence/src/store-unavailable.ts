import { errors as cassandraErrors } from 'cassandra-driver';
import { MongoNetworkError, MongoServerSelectionError } from 'mongodb';

/**
 * Whether an error says a store could not be reached (it is down, restarting, or cut off), as
 * opposed to refusing the operation: MongoDB's network and server-selection errors (a network
 * timeout and a cleared pool are network errors too), and Cassandra's "no host available" and
 * "operation timed out" on the client side. Work that failed for this did not happen and may be
 * tried again once the store is back.
 */
export function isStoreUnavailable(error: unknown): boolean {
  for (let cause: unknown = error; cause instanceof Error; cause = cause.cause) {
    if (cause instanceof MongoNetworkError || cause instanceof MongoServerSelectionError) return true;
    if (
      cause instanceof cassandraErrors.NoHostAvailableError ||
      cause instanceof cassandraErrors.OperationTimedOutError
    )
      return true;
  }
  return false;
}
