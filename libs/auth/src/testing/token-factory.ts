import {
  type CryptoKey,
  type JWK,
  SignJWT,
  base64url,
  exportJWK,
  exportSPKI,
  generateKeyPair,
  importJWK,
} from 'jose';
import { ACCESS_TOKEN_TYPE } from '../access-token-claims';

/** What the auth service is configured with in tests; verifiers under test use the same. */
export const TEST_ISSUER = 'platform-auth';
export const TEST_AUDIENCE = 'platform';

export interface TestTokenClaims {
  sub?: string;
  roles?: unknown;
  iss?: string;
  aud?: string | string[];
  /** Seconds since the epoch; defaults to now, and `exp` to 15 minutes later. */
  iat?: number;
  exp?: number;
  [claim: string]: unknown;
}

/** Ways to make a token deliberately wrong in its header or by leaving claims out. */
export interface TestTokenOptions {
  typ?: string;
  kid?: string;
  omit?: string[];
}

export interface TestSigningKey {
  kid: string;
  privateJwk: JWK;
  /** With `kid`, `alg: 'EdDSA'` and `use: 'sig'`, as the auth service publishes it. */
  publicJwk: JWK;
  /** A token as the auth service mints it, with `claims` and `options` overriding the defaults. */
  sign(claims?: TestTokenClaims, options?: TestTokenOptions): Promise<string>;
}

/** An Ed25519 key pair that mints access tokens as the auth service does, valid or deliberately not. */
export async function createTestSigningKey(kid = 'test-key-1'): Promise<TestSigningKey> {
  const { privateKey, publicKey } = await generateKeyPair('EdDSA', { extractable: true });
  const publicJwk: JWK = { ...(await exportJWK(publicKey)), kid, alg: 'EdDSA', use: 'sig' };
  return {
    kid,
    privateJwk: { ...(await exportJWK(privateKey)), kid, alg: 'EdDSA' },
    publicJwk,
    sign: (claims = {}, options = {}) =>
      new SignJWT(omitted(testClaims(claims), options.omit))
        .setProtectedHeader({ alg: 'EdDSA', typ: options.typ ?? ACCESS_TOKEN_TYPE, kid: options.kid ?? kid })
        .sign(privateKey),
  };
}

/** A token with `alg: none` and an empty signature: what a forger sends hoping the algorithm is not pinned. */
export function unsignedToken(claims: TestTokenClaims = {}, kid = 'test-key-1'): string {
  return `${encodeJson({ alg: 'none', typ: ACCESS_TOKEN_TYPE, kid })}.${encodeJson(testClaims(claims))}.`;
}

/** How a forger may turn the public key into an HMAC secret: its raw bytes, its JWK text or its PEM. */
export type PublicKeyAsSecret = 'raw-bytes' | 'jwk-json' | 'spki-pem';

/** An HS256 token whose secret is the public key itself: the classic algorithm-confusion forgery. */
export async function hmacTokenSignedWithPublicKey(
  publicJwk: JWK,
  as: PublicKeyAsSecret,
  claims: TestTokenClaims = {},
): Promise<string> {
  const secrets: Record<PublicKeyAsSecret, () => Promise<Uint8Array>> = {
    'raw-bytes': async () => base64url.decode(publicJwk.x ?? ''),
    'jwk-json': async () => new TextEncoder().encode(JSON.stringify(publicJwk)),
    'spki-pem': async () =>
      new TextEncoder().encode(await exportSPKI((await importJWK(publicJwk, 'EdDSA')) as CryptoKey)),
  };
  return new SignJWT(testClaims(claims))
    .setProtectedHeader({ alg: 'HS256', typ: ACCESS_TOKEN_TYPE, kid: publicJwk.kid })
    .sign(await secrets[as]());
}

/** `token` with its payload replaced by `changes` applied to it, keeping the original signature. */
export function tamperedToken(token: string, changes: TestTokenClaims): string {
  const [header, payload, signature] = token.split('.');
  const original = JSON.parse(new TextDecoder().decode(base64url.decode(payload ?? ''))) as TestTokenClaims;
  return `${header}.${encodeJson({ ...original, ...changes })}.${signature}`;
}

function testClaims(claims: TestTokenClaims): TestTokenClaims {
  const now = Math.floor(Date.now() / 1000);
  return {
    sub: 'user-1',
    roles: ['customer'],
    iss: TEST_ISSUER,
    aud: TEST_AUDIENCE,
    iat: now,
    exp: (claims.iat ?? now) + 15 * 60,
    ...claims,
  };
}

function omitted(claims: TestTokenClaims, names: string[] = []): TestTokenClaims {
  return Object.fromEntries(Object.entries(claims).filter(([name]) => !names.includes(name)));
}

function encodeJson(value: unknown): string {
  return base64url.encode(JSON.stringify(value));
}
