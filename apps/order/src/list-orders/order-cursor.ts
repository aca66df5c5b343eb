import { InvalidCursorError } from '../domain/errors';
import type { OrderPosition } from '../orders/orders.repository.port';

/**
 * The list's cursor is opaque to clients: the last order of the page (its creation time and id,
 * the sort key), versioned and base64url-encoded, so its format can change without clients noticing.
 */
export function encodeCursor({ createdAt, orderId }: OrderPosition): string {
  return Buffer.from(JSON.stringify({ v: 1, at: createdAt.getTime(), id: orderId })).toString('base64url');
}

/** @throws InvalidCursorError for anything encodeCursor did not produce */
export function decodeCursor(cursor: string): OrderPosition {
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw new InvalidCursorError();
  }
  if (typeof decoded !== 'object' || decoded === null) throw new InvalidCursorError();
  const { v, at, id } = decoded as { v?: unknown; at?: unknown; id?: unknown };
  if (v !== 1 || !Number.isSafeInteger(at) || (at as number) < 0) throw new InvalidCursorError();
  if (typeof id !== 'string' || id.length === 0 || id.length > 128) throw new InvalidCursorError();
  return { createdAt: new Date(at as number), orderId: id };
}
