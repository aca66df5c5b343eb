/**
 * Printable ASCII (0x20–0x7E), 1 to 255 characters: the Idempotency-Key contract of
 * docs/api.md#idempotency-key.
 */
const VALID_KEY = /^[\x20-\x7E]{1,255}$/;

export type KeyValidation = { valid: true; key: string } | { valid: false; reason: 'missing' | 'malformed' };

/**
 * Validates the raw header value. A header sent twice arrives as an array: that is ambiguous, so
 * it is malformed rather than silently taking one of them.
 */
export function validateIdempotencyKey(raw: string | string[] | undefined): KeyValidation {
  if (raw === undefined || raw === '') return { valid: false, reason: 'missing' };
  if (typeof raw !== 'string' || !VALID_KEY.test(raw)) return { valid: false, reason: 'malformed' };
  return { valid: true, key: raw };
}
