import { randomUUID } from 'node:crypto';
import { InvalidCursorError, decodeCursor, encodeCursor } from './page-cursor';

const aPosition = () => ({ createdAt: new Date('2026-03-01T10:00:00.123Z'), id: randomUUID() });
const base64url = (text: string) => Buffer.from(text).toString('base64url');

describe('page cursor', () => {
  it('when a position is encoded, then decoding the cursor gives it back', () => {
    const position = aPosition();
    expect(decodeCursor(encodeCursor(position))).toEqual(position);
  });

  it('when a position is encoded, then the cursor is URL-safe text that does not spell out its fields', () => {
    const cursor = encodeCursor(aPosition());
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(cursor).not.toContain('createdAt');
  });

  const position = aPosition();
  const valid = encodeCursor(position);
  it.each([
    ['cut short', valid.slice(0, -3)],
    ['with a character added', `${valid}A`],
    ['with characters outside base64url', `${valid.slice(0, 5)}*${valid.slice(6)}`],
    ['with its first character changed', `${valid[0] === 'e' ? 'f' : 'e'}${valid.slice(1)}`],
    ['not base64 of JSON', base64url('not json')],
    ['JSON of another shape', base64url(JSON.stringify({ createdAt: 1, id: position.id }))],
    ['with an extra field', base64url(JSON.stringify({ t: 1, i: position.id, u: 'someone-else' }))],
    ['with an id that is not a UUID', base64url(JSON.stringify({ t: 1, i: 'x' }))],
    ['with a negative time', base64url(JSON.stringify({ t: -1, i: position.id }))],
    ['with a time that is not a whole number', base64url(JSON.stringify({ t: 1.5, i: position.id }))],
    ['JSON null', base64url('null')],
  ])('when the cursor is %s, then decoding refuses it', (_case, cursor) => {
    expect(() => decodeCursor(cursor)).toThrow(InvalidCursorError);
  });
});
