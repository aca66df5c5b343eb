import { InvalidCursorError } from '../domain/errors';
import { decodeCursor, encodeCursor } from './cursor';

describe('product list cursor', () => {
  it('when a sku is encoded, then decoding gives it back', () => {
    expect(decodeCursor(encodeCursor('SKU-42.b_x'))).toBe('SKU-42.b_x');
  });

  it('when encoded, then the cursor is URL-safe and does not show the sku', () => {
    const cursor = encodeCursor('TEA-GREEN');
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(cursor).not.toContain('TEA-GREEN');
  });

  it.each([
    ['not base64 JSON', '%%%'],
    ['JSON of another shape', Buffer.from('{"after":1}').toString('base64url')],
    ['another version', Buffer.from('{"v":2,"after":"A"}').toString('base64url')],
    ['a sku that cannot exist', Buffer.from('{"v":1,"after":"a b"}').toString('base64url')],
    ['empty', ''],
  ])('when the cursor is %s, then decoding throws InvalidCursorError', (_case, cursor) => {
    expect(() => decodeCursor(cursor)).toThrow(InvalidCursorError);
  });
});
