import { MongoServerError } from 'mongodb';
import { isDuplicateKeyError } from './mongo-errors';

describe('isDuplicateKeyError', () => {
  it('is true only for a server error with code 11000', () => {
    expect(isDuplicateKeyError(new MongoServerError({ code: 11000, errmsg: 'E11000' }))).toBe(true);
    expect(isDuplicateKeyError(new MongoServerError({ code: 121, errmsg: 'validation' }))).toBe(false);
    expect(isDuplicateKeyError(new Error('E11000'))).toBe(false);
  });
});
