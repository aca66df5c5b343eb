import { SignJWT, exportJWK, generateKeyPair, type CryptoKey, type JWK } from 'jose';

/** An Ed25519 signing key as the auth service reads it from AUTH_SIGNING_KEYS, and its public half. */
export interface SigningKey {
  kid: string;
  privateJwk: JWK;
  publicJwk: JWK;
  privateKey: CryptoKey;
}

export async function generateSigningKey(kid: string): Promise<SigningKey> {
  const { privateKey, publicKey } = await generateKeyPair('EdDSA', { extractable: true });
  const privateJwk = { ...(await exportJWK(privateKey)), kid, alg: 'EdDSA', use: 'sig' };
  const publicJwk = { ...(await exportJWK(publicKey)), kid, alg: 'EdDSA', use: 'sig' };
  return { kid, privateJwk, publicJwk, privateKey };
}

const base64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

export interface Claims {
  sub: string;
  roles: string[];
  iss: string;
  aud: string;
}

/** A correctly signed access token whose claims the caller chooses (e.g. a wrong audience). */
export function signAccessToken(key: SigningKey, claims: Claims): Promise<string> {
  return new SignJWT({ roles: claims.roles })
    .setProtectedHeader({ alg: 'EdDSA', kid: key.kid, typ: 'at+jwt' })
    .setSubject(claims.sub)
    .setIssuer(claims.iss)
    .setAudience(claims.aud)
    .setIssuedAt()
    .setExpirationTime('5m')
    .sign(key.privateKey);
}

/** `alg: none`: no signature at all. */
export function unsignedToken(claims: Claims): string {
  const now = Math.floor(Date.now() / 1000);
  return `${base64url({ alg: 'none', typ: 'at+jwt' })}.${base64url({ ...claims, iat: now, exp: now + 300 })}.`;
}

/** HS256 with the published public key as the HMAC secret: the classic algorithm-confusion attack. */
export function hmacWithPublicKey(publicJwk: JWK, claims: Claims): Promise<string> {
  return new SignJWT({ roles: claims.roles })
    .setProtectedHeader({ alg: 'HS256', kid: publicJwk.kid ?? '', typ: 'at+jwt' })
    .setSubject(claims.sub)
    .setIssuer(claims.iss)
    .setAudience(claims.aud)
    .setIssuedAt()
    .setExpirationTime('5m')
    .sign(new TextEncoder().encode(JSON.stringify(publicJwk)));
}

/** A valid token whose payload was edited (roles raised to admin) while its signature was kept. */
export function tamperedToken(validToken: string): string {
  const [header, payload, signature] = validToken.split('.');
  const claims = JSON.parse(Buffer.from(payload ?? '', 'base64url').toString());
  return `${header}.${base64url({ ...claims, roles: ['admin'] })}.${signature}`;
}
