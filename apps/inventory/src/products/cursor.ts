import { InvalidCursorError } from '../domain/errors';
import { skuPattern } from '../domain/product';

/**
 * The list's cursor is opaque to clients: the last sku of the page, versioned and base64url-encoded,
 * so its format can change without clients noticing.
 */
export function encodeCursor(lastSku: string): string {
  return Buffer.from(JSON.stringify({ v: 1, after: lastSku })).toString('base64url');
}

/** @throws InvalidCursorError for anything encodeCursor did not produce */
export function decodeCursor(cursor: string): string {
  try {
    const decoded: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (
      typeof decoded === 'object' &&
      decoded !== null &&
      (decoded as { v?: unknown }).v === 1 &&
      typeof (decoded as { after?: unknown }).after === 'string' &&
      skuPattern.test((decoded as { after: string }).after)
    )
      return (decoded as { after: string }).after;
  } catch {
    // Not base64url JSON: the same answer as any other foreign cursor.
  }
  throw new InvalidCursorError();
}
