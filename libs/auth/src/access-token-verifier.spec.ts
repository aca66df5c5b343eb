import type { JWK } from 'jose';
import { AccessTokenVerifier } from './access-token-verifier';
import { InvalidAccessTokenError } from './invalid-access-token.error';
import { KeySetUnavailableError } from './key-set-unavailable.error';
import {
  TEST_AUDIENCE,
  TEST_ISSUER,
  type TestSigningKey,
  createTestSigningKey,
  hmacTokenSignedWithPublicKey,
  tamperedToken,
  unsignedToken,
} from './testing/token-factory';

const now = () => Math.floor(Date.now() / 1000);

function verifierPublishing(...keys: JWK[]): AccessTokenVerifier {
  return new AccessTokenVerifier({
    issuer: TEST_ISSUER,
    audience: TEST_AUDIENCE,
    jwks: { local: async () => ({ keys }) },
  });
}

/** The error a refused token causes; fails the test if the token was accepted or failed otherwise. */
async function refusalOf(verifier: AccessTokenVerifier, token: string): Promise<InvalidAccessTokenError> {
  const error = await verifier.verify(token).then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(InvalidAccessTokenError);
  return error as InvalidAccessTokenError;
}

describe('AccessTokenVerifier', () => {
  let key: TestSigningKey;
  let otherKey: TestSigningKey;
  let verifier: AccessTokenVerifier;

  beforeAll(async () => {
    key = await createTestSigningKey('key-1');
    otherKey = await createTestSigningKey('key-2');
    verifier = verifierPublishing(key.publicJwk);
  });

  describe('when the token is valid', () => {
    it('then it returns the user named by sub with its roles', async () => {
      const token = await key.sign({ sub: 'user-42', roles: ['customer', 'admin'] });
      await expect(verifier.verify(token)).resolves.toEqual({ id: 'user-42', roles: ['customer', 'admin'] });
    });

    it('then a token expired by less than the clock tolerance still verifies', async () => {
      const token = await key.sign({ iat: now() - 900, exp: now() - 2 });
      await expect(verifier.verify(token)).resolves.toEqual({ id: 'user-1', roles: ['customer'] });
    });
  });

  describe('when the token is forged', () => {
    it('then an unsigned token (alg: none) is refused', async () => {
      const { reason } = await refusalOf(verifier, unsignedToken({ roles: ['admin'] }, key.kid));
      expect(reason).toMatch(/ERR_JOSE_ALG_NOT_ALLOWED/);
    });

    it.each(['raw-bytes', 'jwk-json', 'spki-pem'] as const)(
      'then an HS256 token signed with the public key (%s) as secret is refused',
      async (as) => {
        const { reason } = await refusalOf(
          verifier,
          await hmacTokenSignedWithPublicKey(key.publicJwk, as, { roles: ['admin'] }),
        );
        expect(reason).toMatch(/ERR_JOSE_ALG_NOT_ALLOWED/);
      },
    );

    it('then a token whose kid is not published is refused', async () => {
      const { reason } = await refusalOf(verifier, await otherKey.sign());
      expect(reason).toMatch(/ERR_JWKS_NO_MATCHING_KEY/);
    });

    it('then a token signed by another key but naming the published kid is refused', async () => {
      const { reason } = await refusalOf(verifier, await otherKey.sign({}, { kid: key.kid }));
      expect(reason).toMatch(/ERR_JWS_SIGNATURE_VERIFICATION_FAILED/);
    });

    it('then a token whose payload was changed (roles: admin) after signing is refused', async () => {
      const token = tamperedToken(await key.sign({ roles: ['customer'] }), { roles: ['admin'] });
      const { reason } = await refusalOf(verifier, token);
      expect(reason).toMatch(/ERR_JWS_SIGNATURE_VERIFICATION_FAILED/);
    });

    it('then a token without a kid header is refused', async () => {
      const { reason } = await refusalOf(verifier, await key.sign({}, { kid: '' }));
      expect(reason).toMatch(/kid/);
    });
  });

  describe('when a claim or header is wrong', () => {
    it('then a token for another audience is refused', async () => {
      const { reason } = await refusalOf(verifier, await key.sign({ aud: 'another-platform' }));
      expect(reason).toMatch(/"aud"/);
    });

    it('then a token from another issuer is refused', async () => {
      const { reason } = await refusalOf(verifier, await key.sign({ iss: 'someone-else' }));
      expect(reason).toMatch(/"iss"/);
    });

    it('then a JWT that is not an access token (typ: JWT) is refused', async () => {
      const { reason } = await refusalOf(verifier, await key.sign({}, { typ: 'JWT' }));
      expect(reason).toMatch(/"typ"/);
    });

    it('then an expired token is refused', async () => {
      const { reason } = await refusalOf(verifier, await key.sign({ iat: now() - 1000, exp: now() - 60 }));
      expect(reason).toMatch(/ERR_JWT_EXPIRED/);
    });

    it('then a token not valid yet (nbf an hour ahead) is refused', async () => {
      const { reason } = await refusalOf(verifier, await key.sign({ nbf: now() + 3600 }));
      expect(reason).toMatch(/ERR_JWT_CLAIM_VALIDATION_FAILED|"nbf"/);
    });

    it.each(['sub', 'exp', 'iat'])('then a token without %s is refused', async (claim) => {
      const { reason } = await refusalOf(verifier, await key.sign({}, { omit: [claim] }));
      expect(reason).toContain(`"${claim}"`);
    });

    it.each([
      ['missing', undefined],
      ['a string', 'admin'],
      ['an array holding a non-string', ['customer', 1]],
    ])('then a token whose roles are %s is refused', async (_, roles) => {
      const { reason } = await refusalOf(
        verifier,
        await key.sign({ roles }, { omit: roles === undefined ? ['roles'] : [] }),
      );
      expect(reason).toMatch(/roles/);
    });

    it('then an empty sub is refused', async () => {
      const { reason } = await refusalOf(verifier, await key.sign({ sub: '' }));
      expect(reason).toMatch(/sub/);
    });
  });

  describe('when the input is not a token at all', () => {
    it.each([
      ['an empty string', ''],
      ['one word', 'not-a-jwt'],
      ['three dots-separated words', 'a.b.c'],
      ['9000 characters', 'x'.repeat(9000)],
    ])('then %s is refused', async (_, garbage) => {
      await refusalOf(verifier, garbage);
    });
  });

  describe('when two keys are published during a rotation', () => {
    it('then a token signed with either verifies', async () => {
      const rotating = verifierPublishing(key.publicJwk, otherKey.publicJwk);
      await expect(rotating.verify(await key.sign({ sub: 'old-key-user' }))).resolves.toMatchObject({
        id: 'old-key-user',
      });
      await expect(rotating.verify(await otherKey.sign({ sub: 'new-key-user' }))).resolves.toMatchObject({
        id: 'new-key-user',
      });
    });
  });

  describe('when the local key set changes', () => {
    it('then the next verification uses the new set', async () => {
      let published = [key.publicJwk];
      const local = new AccessTokenVerifier({
        issuer: TEST_ISSUER,
        audience: TEST_AUDIENCE,
        jwks: { local: async () => ({ keys: published }) },
      });
      const newKeyToken = await otherKey.sign();
      await refusalOf(local, newKeyToken);
      published = [key.publicJwk, otherKey.publicJwk];
      await expect(local.verify(newKeyToken)).resolves.toMatchObject({ id: 'user-1' });
    });
  });

  describe('when the key set cannot be obtained', () => {
    it('then verify throws KeySetUnavailableError, not InvalidAccessTokenError: the token is not at fault', async () => {
      const broken = new AccessTokenVerifier({
        issuer: TEST_ISSUER,
        audience: TEST_AUDIENCE,
        jwks: {
          local: async () => {
            throw new Error('key store unreachable');
          },
        },
      });
      await expect(broken.verify(await key.sign())).rejects.toBeInstanceOf(KeySetUnavailableError);
    });
  });
});
