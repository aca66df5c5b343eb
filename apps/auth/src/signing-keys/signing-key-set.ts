import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync } from 'node:crypto';
import { z } from 'zod';

const base64url = z.string().regex(/^[A-Za-z0-9_-]+$/, 'must be base64url');

/** One Ed25519 private key as a JWK (RFC 8037). */
export const privateSigningJwkSchema = z.object({
  kty: z.literal('OKP'),
  crv: z.literal('Ed25519'),
  x: base64url,
  d: base64url,
  kid: z.string().min(1),
});

export type PrivateSigningJwk = z.output<typeof privateSigningJwkSchema>;

/** The public half that the JWKS publishes: everything but `d`. */
export interface PublicSigningJwk {
  kty: 'OKP';
  crv: 'Ed25519';
  x: string;
  kid: string;
  alg: 'EdDSA';
  use: 'sig';
}

/**
 * AUTH_SIGNING_KEYS: `{"keys":[...]}`, a JSON JWK set of Ed25519 private keys. Every key is
 * published; the last one signs. To rotate, append a new key and remove the old one only after
 * the tokens it signed have expired (ACCESS_TOKEN_TTL_SECONDS plus verifiers' JWKS cache time).
 */
export const signingKeySetSchema = z
  .string()
  .transform((text, context) => {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      context.addIssue({
        code: 'custom',
        message: 'must be a JSON JWK set: {"keys":[{"kty":"OKP","crv":"Ed25519","x":…,"d":…,"kid":…}]}',
      });
      return z.NEVER;
    }
  })
  .pipe(
    z
      .object({ keys: z.array(privateSigningJwkSchema).min(1) })
      .refine(
        (set) => new Set(set.keys.map((key) => key.kid)).size === set.keys.length,
        'every key needs its own kid',
      )
      .refine(
        (set) => set.keys.every(publicPartMatches),
        'a key\'s "x" is not the public key of its "d" (or "d" is not an Ed25519 key)',
      )
      .transform((set) => set.keys),
  );

/** A wrong `x` would publish a key that verifies nothing this service signs: refuse it at start-up. */
function publicPartMatches(key: PrivateSigningJwk): boolean {
  try {
    const privateKey = createPrivateKey({
      key: { kty: key.kty, crv: key.crv, x: key.x, d: key.d },
      format: 'jwk',
    });
    return createPublicKey(privateKey).export({ format: 'jwk' }).x === key.x;
  } catch {
    return false;
  }
}

/** RFC 7638 thumbprint: a kid derived from the key, so the same key always gets the same id. */
function thumbprintOf(x: string): string {
  return createHash('sha256')
    .update(JSON.stringify({ crv: 'Ed25519', kty: 'OKP', x }))
    .digest('base64url');
}

export function generateSigningKey(): PrivateSigningJwk {
  const jwk = generateKeyPairSync('ed25519').privateKey.export({ format: 'jwk' });
  if (!jwk.x || !jwk.d) throw new Error('node did not export an Ed25519 JWK');
  return { kty: 'OKP', crv: 'Ed25519', x: jwk.x, d: jwk.d, kid: thumbprintOf(jwk.x) };
}

/** A fresh AUTH_SIGNING_KEYS value with one key; to rotate, append another key's entry to an existing set. */
export function generateSigningKeySet(): string {
  return JSON.stringify({ keys: [generateSigningKey()] });
}

export function publicPartOf(key: PrivateSigningJwk): PublicSigningJwk {
  return { kty: key.kty, crv: key.crv, x: key.x, kid: key.kid, alg: 'EdDSA', use: 'sig' };
}
