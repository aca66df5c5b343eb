import { z } from 'zod';

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

/**
 * The header as the API documents it: what VALID_KEY accepts, as a client can send it. HTTP drops
 * a value's leading and trailing spaces, so the key starts and ends with a visible character.
 */
export const idempotencyKeyHeader = z
  .string()
  .min(1)
  .max(255)
  .regex(/^[!-~](?:[ -~]*[!-~])?$/)
  .meta({
    description:
      'Any 1 to 255 printable ASCII characters, e.g. a UUID; sent again with the same body, it replays the first answer.',
  });
