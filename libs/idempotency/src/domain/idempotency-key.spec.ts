import { validateIdempotencyKey } from './idempotency-key';

describe('validateIdempotencyKey', () => {
  it.each([
    ['a uuid', '8e03978e-40d5-43e8-bc93-6894a57f9324'],
    ['one character', 'k'],
    ['255 characters', 'k'.repeat(255)],
    [
      'every printable ASCII character',
      Array.from({ length: 95 }, (_, i) => String.fromCharCode(0x20 + i)).join(''),
    ],
  ])('when the key is %s, then it is valid', (_case, key) => {
    expect(validateIdempotencyKey(key)).toEqual({ valid: true, key });
  });

  it.each([
    ['absent', undefined],
    ['empty', ''],
  ])('when the key is %s, then it is missing', (_case, raw) => {
    expect(validateIdempotencyKey(raw)).toEqual({ valid: false, reason: 'missing' });
  });

  it.each([
    ['256 characters', 'k'.repeat(256)],
    ['a control character', 'key\x07'],
    ['a tab', 'key\tkey'],
    ['DEL', 'key\x7F'],
    ['non-ASCII', 'clé'],
    ['sent twice', ['a', 'b']],
  ])('when the key is %s, then it is malformed', (_case, raw) => {
    expect(validateIdempotencyKey(raw)).toEqual({ valid: false, reason: 'malformed' });
  });
});
