import { ProblemException } from '@platform/http';
import { adminAuditIdPattern } from './admin-audit-log';

/**
 * The audit list's cursor is opaque to clients: the last entry id of the page, versioned and
 * base64url-encoded (as the other lists of the platform do), so its format can change unnoticed.
 */
export function encodeCursor(lastId: string): string {
  return Buffer.from(JSON.stringify({ v: 1, before: lastId })).toString('base64url');
}

/** @throws ProblemException 400 `invalid-cursor` for anything encodeCursor did not produce */
export function decodeCursor(cursor: string): string {
  try {
    const decoded: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (typeof decoded === 'object' && decoded !== null) {
      const { v, before } = decoded as { v?: unknown; before?: unknown };
      // Node's base64url decoder skips characters it does not know; only the exact encoding is ours.
      if (
        v === 1 &&
        typeof before === 'string' &&
        adminAuditIdPattern.test(before) &&
        encodeCursor(before) === cursor
      )
        return before;
    }
  } catch {
    // Not base64url JSON: the same answer as any other foreign cursor.
  }
  throw new ProblemException({
    status: 400,
    type: 'invalid-cursor',
    detail: 'The cursor is not one this list issued.',
  });
}
