import { createLocalJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
import { SigningKeys } from '../signing-keys/signing-keys';
import { generateSigningKey } from '../signing-keys/signing-key-set';
import { AccessTokenIssuer } from './access-token-issuer';

describe('AccessTokenIssuer', () => {
  const settings = { issuer: 'platform-auth', audience: 'platform', ttlSeconds: 900 };
  const issuedAt = new Date('2030-01-01T00:00:00.000Z');

  it('when a token is issued, then its header is EdDSA, at+jwt and the kid of the signing key', async () => {
    const keys = await SigningKeys.from([generateSigningKey()]);
    const token = await new AccessTokenIssuer(keys, settings).issue({ id: 'user-1', roles: ['customer'] });
    expect(decodeProtectedHeader(token)).toEqual({ alg: 'EdDSA', kid: keys.current.kid, typ: 'at+jwt' });
  });

  it('when a token is issued, then it carries iss, aud, sub, roles, iat, exp = iat + TTL and a jti, verifiable with the public keys', async () => {
    const keys = await SigningKeys.from([generateSigningKey()]);
    const token = await new AccessTokenIssuer(keys, settings, () => issuedAt).issue({
      id: 'user-1',
      roles: ['admin'],
    });
    const { payload } = await jwtVerify(token, createLocalJWKSet(keys.publicJwks), {
      issuer: 'platform-auth',
      audience: 'platform',
      algorithms: ['EdDSA'],
      typ: 'at+jwt',
      currentDate: new Date(issuedAt.getTime() + 1000),
    });
    const iat = issuedAt.getTime() / 1000;
    expect(payload).toEqual({
      iss: 'platform-auth',
      aud: 'platform',
      sub: 'user-1',
      roles: ['admin'],
      iat,
      exp: iat + 900,
      jti: expect.any(String),
    });
  });

  it('when two tokens are issued, then their jti differ', async () => {
    const issuer = new AccessTokenIssuer(await SigningKeys.from(undefined), settings);
    const user = { id: 'user-1', roles: ['customer' as const] };
    const [a, b] = await Promise.all([issuer.issue(user), issuer.issue(user)]);
    expect(JSON.parse(Buffer.from(a.split('.')[1] ?? '', 'base64url').toString()).jti).not.toBe(
      JSON.parse(Buffer.from(b.split('.')[1] ?? '', 'base64url').toString()).jti,
    );
  });

  it('when the key set has several keys, then the last one signs and all are published without d', async () => {
    const [older, newer] = [generateSigningKey(), generateSigningKey()];
    const keys = await SigningKeys.from([older, newer]);
    expect(keys.current.kid).toBe(newer.kid);
    expect(keys.publicJwks.keys.map((key) => key.kid)).toEqual([older.kid, newer.kid]);
    for (const key of keys.publicJwks.keys) expect(key).not.toHaveProperty('d');
  });
});
