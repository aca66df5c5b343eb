import { createHash, randomBytes } from 'node:crypto';

/** 256 random bits, base64url: unguessable, so a plain SHA-256 (no salt, no slow hash) is enough to store it. */
export function newOpaqueRefreshToken(): string {
  return randomBytes(32).toString('base64url');
}

export function hashOfRefreshToken(token: string): string {
  return createHash('sha256').update(token).digest('base64url');
}
