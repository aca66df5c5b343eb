import { parseCachedRecord } from './cached-record';

describe('parseCachedRecord', () => {
  it('when the text is a record, then it is read back', () => {
    const record = {
      fingerprint: 'fp',
      response: { status: 202, body: { a: 1 }, headers: { Location: '/x' } },
    };
    expect(parseCachedRecord(JSON.stringify(record))).toEqual(record);
  });

  it('when the text is not JSON, then it throws', () => {
    expect(() => parseCachedRecord('not json')).toThrow();
  });

  it('when the JSON is not a record, then it throws', () => {
    expect(() => parseCachedRecord(JSON.stringify({ fingerprint: 'fp' }))).toThrow();
  });
});
