import { InvalidCursorError } from '../domain/errors';
import { decodeCursor, encodeCursor } from './order-cursor';

describe('order list cursor', () => {
  it('when a position is encoded, then decoding gives it back to the millisecond', () => {
    const position = { createdAt: new Date('2026-03-04T05:06:07.089Z'), orderId: 'b3c1f0e2-order' };
    expect(decodeCursor(encodeCursor(position))).toEqual(position);
  });

  it('when encoded, then the cursor is URL-safe and does not show the order id', () => {
    const cursor = encodeCursor({ createdAt: new Date(0), orderId: 'order-42' });
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(cursor).not.toContain('order-42');
  });

  const encoded = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

  it.each([
    ['not base64 JSON', '%%%'],
    ['empty', ''],
    ['JSON that is not an object', encoded('order-1')],
    ['another version', encoded({ v: 2, at: 0, id: 'order-1' })],
    ['a time that is not an integer', encoded({ v: 1, at: 1.5, id: 'order-1' })],
    ['a negative time', encoded({ v: 1, at: -1, id: 'order-1' })],
    ['no order id', encoded({ v: 1, at: 0 })],
    ['an empty order id', encoded({ v: 1, at: 0, id: '' })],
    ['an order id too long', encoded({ v: 1, at: 0, id: 'x'.repeat(129) })],
  ])('when the cursor is %s, then decoding throws InvalidCursorError', (_case, cursor) => {
    expect(() => decodeCursor(cursor)).toThrow(InvalidCursorError);
  });
});
