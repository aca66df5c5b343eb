import { createHash } from 'node:crypto';
import { canonicalJson } from './canonical-json';

export interface FingerprintedRequest {
  method: string;
  /** The path without the query string. */
  path: string;
  /** The parsed JSON body; undefined when there is none. */
  body: unknown;
}

/**
 * SHA-256 (hex) of the method, the path and the canonical JSON body: what "the same request"
 * means when a key is reused. The three go through one canonical JSON array, so no choice of
 * path or body can collide with another split of the same characters.
 */
export function requestFingerprint({ method, path, body }: FingerprintedRequest): string {
  const canonical = canonicalJson([method.toUpperCase(), path, body ?? null]);
  return createHash('sha256').update(canonical).digest('hex');
}
