import { MongoServerError } from 'mongodb';

/** MongoDB's code for a write that a unique index refused. */
const DUPLICATE_KEY = 11000;

/** True when a write failed because a unique index (the `_id` one included) already holds its key. */
export function isDuplicateKeyError(error: unknown): error is MongoServerError {
  return error instanceof MongoServerError && error.code === DUPLICATE_KEY;
}
