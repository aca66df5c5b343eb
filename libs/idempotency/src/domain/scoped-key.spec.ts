import { scopedKey } from './scoped-key';

describe('scopedKey', () => {
  it('when a separator moves between user and key, then the names differ', () => {
    expect(scopedKey({ userId: 'a:b', key: 'c' })).not.toBe(scopedKey({ userId: 'a', key: 'b:c' }));
  });

  it('when two users send the same key, then the names differ', () => {
    expect(scopedKey({ userId: 'alice', key: 'k' })).not.toBe(scopedKey({ userId: 'bob', key: 'k' }));
  });
});
