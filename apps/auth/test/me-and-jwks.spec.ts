import type { RunningApp } from '@platform/testing';
import { createLocalJWKSet, jwtVerify, SignJWT, decodeProtectedHeader, generateKeyPair } from 'jose';
import { AuthClient, startEmbeddedAuth } from './support/auth-client';
import { aRegistration } from './support/builders';

describe('GET /api/auth/me', () => {
  let auth: RunningApp;
  let client: AuthClient;
  beforeAll(async () => {
    auth = await startEmbeddedAuth();
    client = new AuthClient(auth.baseUrl);
  });
  afterAll(() => auth.close());

  describe('when the access token is valid', () => {
    it('then it answers 200 with the account', async () => {
      const registration = aRegistration({ name: 'Katherine Johnson' });
      const { user, tokens } = await client.registeredAndLoggedIn(registration);
      const reply = await client.me(tokens.accessToken);
      expect(reply.status).toBe(200);
      expect(reply.body).toEqual({
        id: user.id,
        email: registration.email,
        name: 'Katherine Johnson',
        roles: ['customer'],
      });
    });
  });

  describe('when the access token is missing or bad', () => {
    it('then no Authorization header answers 401 with WWW-Authenticate: Bearer', async () => {
      const reply = await client.get('/api/auth/me');
      expect(reply.status).toBe(401);
      expect(reply.headers.get('www-authenticate')).toMatch(/^Bearer/);
      expect(reply.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    });

    it('then a garbled token answers 401', async () => {
      expect((await client.me('not.a.jwt')).status).toBe(401);
    });

    it('then a token signed by another key with the same kid answers 401', async () => {
      const { tokens } = await client.registeredAndLoggedIn(aRegistration());
      const { kid } = decodeProtectedHeader(tokens.accessToken);
      const { privateKey } = await generateKeyPair('EdDSA');
      const forged = await new SignJWT({ roles: ['admin'] })
        .setProtectedHeader({ alg: 'EdDSA', kid: kid as string, typ: 'at+jwt' })
        .setIssuer('platform-auth')
        .setAudience('platform')
        .setSubject('someone')
        .setIssuedAt()
        .setExpirationTime('5m')
        .sign(privateKey);
      expect((await client.me(forged)).status).toBe(401);
    });

    it('then an alg:none token answers 401', async () => {
      const { user } = await client.registeredAndLoggedIn(aRegistration());
      const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
      const now = Math.floor(Date.now() / 1000);
      const unsigned = `${encode({ alg: 'none', typ: 'at+jwt' })}.${encode({ sub: user.id, roles: ['admin'], iss: 'platform-auth', aud: 'platform', iat: now, exp: now + 60 })}.`;
      expect((await client.me(unsigned)).status).toBe(401);
    });

    it('then a refresh token used as an access token answers 401', async () => {
      const { tokens } = await client.registeredAndLoggedIn(aRegistration());
      expect((await client.me(tokens.refreshToken)).status).toBe(401);
    });
  });
});

describe('GET /.well-known/jwks.json', () => {
  let auth: RunningApp;
  let client: AuthClient;
  beforeAll(async () => {
    auth = await startEmbeddedAuth();
    client = new AuthClient(auth.baseUrl);
  });
  afterAll(() => auth.close());

  it('when fetched, then it lists Ed25519 public keys with no private part', async () => {
    const reply = await client.get('/.well-known/jwks.json');
    expect(reply.status).toBe(200);
    expect(reply.body.keys.length).toBeGreaterThan(0);
    for (const key of reply.body.keys) {
      expect(key).toEqual({
        kty: 'OKP',
        crv: 'Ed25519',
        x: expect.any(String),
        kid: expect.any(String),
        alg: 'EdDSA',
        use: 'sig',
      });
      expect(key).not.toHaveProperty('d');
    }
  });

  it('when an access token is verified against it, then the signature, issuer and audience check out', async () => {
    const { tokens } = await client.registeredAndLoggedIn(aRegistration());
    const jwks = (await client.get('/.well-known/jwks.json')).body;
    const { payload, protectedHeader } = await jwtVerify(tokens.accessToken, createLocalJWKSet(jwks), {
      issuer: 'platform-auth',
      audience: 'platform',
      algorithms: ['EdDSA'],
      typ: 'at+jwt',
    });
    expect(protectedHeader.kid).toBe(jwks.keys[0].kid);
    expect(payload.roles).toEqual(['customer']);
  });
});
