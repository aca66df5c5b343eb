import { z } from 'zod';
import type { ListPosition } from '../domain/notification';

/**
 * The cursor is opaque to clients: base64url of `{"t": <created_at ms>, "i": "<id>"}`, the
 * clustering key of the last notification of the previous page. Reading it is strict (exact keys,
 * canonical encoding), so a cursor that was cut or edited is refused rather than guessed at; one
 * that still decodes can only move within the caller's own list, which every query is bound to.
 */
const cursorPayload = z.strictObject({
  t: z.number().int().min(0).max(8.64e15),
  i: z.uuid(),
});

export class InvalidCursorError extends Error {
  constructor() {
    super('the cursor is not one this service issued');
    this.name = 'InvalidCursorError';
  }
}

export function encodeCursor(position: ListPosition): string {
  return Buffer.from(JSON.stringify({ t: position.createdAt.getTime(), i: position.id })).toString(
    'base64url',
  );
}

/** @throws InvalidCursorError */
export function decodeCursor(cursor: string): ListPosition {
  let payload: unknown;
  try {
    payload = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw new InvalidCursorError();
  }
  const parsed = cursorPayload.safeParse(payload);
  if (!parsed.success) throw new InvalidCursorError();
  const position = { createdAt: new Date(parsed.data.t), id: parsed.data.i };
  // Node's base64url decoder skips characters it does not know; only the exact encoding is ours.
  if (encodeCursor(position) !== cursor) throw new InvalidCursorError();
  return position;
}
