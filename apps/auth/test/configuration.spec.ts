import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { decodeProtectedHeader } from 'jose';
import { generateSigningKeySet, loadAuthConfig } from '../src';
import { AuthClient, startEmbeddedAuth } from './support/auth-client';
import { aRegistration } from './support/builders';

const twoKeys = () => {
  const [older] = JSON.parse(generateSigningKeySet()).keys;
  const [newer] = JSON.parse(generateSigningKeySet()).keys;
  return { older, newer, value: JSON.stringify({ keys: [older, newer] }) };
};

describe('auth configuration', () => {
  it('when nothing is set in the embedded profile, then the defaults apply and no key set is required', () => {
    const config = loadAuthConfig({ PROFILE: 'embedded' });
    expect(config.AUTH_SIGNING_KEYS).toBeUndefined();
    expect(config).toMatchObject({
      PORT: 3001,
      HOST: '127.0.0.1',
      AUTH_ISSUER: 'platform-auth',
      AUTH_AUDIENCE: 'platform',
      ACCESS_TOKEN_TTL_SECONDS: 900,
      ADMIN_EMAIL: 'admin@platform.local',
      ADMIN_PASSWORD: 'platform-admin-password',
    });
  });

  it('when the local profile has no signing keys, then loading fails naming AUTH_SIGNING_KEYS', () => {
    expect(() => loadAuthConfig({})).toThrow(/auth: invalid configuration[\s\S]*AUTH_SIGNING_KEYS: required/);
  });

  it('when the local profile has its keys, then MongoDB, Redis and Kafka default to the local servers', () => {
    expect(loadAuthConfig({ AUTH_SIGNING_KEYS: generateSigningKeySet() })).toMatchObject({
      MONGO_URL: 'mongodb://127.0.0.1:27017',
      REDIS_URL: 'redis://127.0.0.1:6379',
      KAFKA_BROKERS: '127.0.0.1:9092',
    });
  });

  it('when the compose profile names no servers, then loading fails naming MONGO_URL, REDIS_URL and KAFKA_BROKERS', () => {
    expect(() => loadAuthConfig({ PROFILE: 'compose', AUTH_SIGNING_KEYS: generateSigningKeySet() })).toThrow(
      /MONGO_URL: required[\s\S]*REDIS_URL: required[\s\S]*KAFKA_BROKERS: required/,
    );
  });

  it('when the production profile keeps the default admin password, then loading fails naming ADMIN_PASSWORD', () => {
    const production = {
      PROFILE: 'production',
      MONGO_URL: 'mongodb://mongo:27017',
      REDIS_URL: 'redis://redis:6379',
      KAFKA_BROKERS: 'kafka:9092',
      AUTH_SIGNING_KEYS: generateSigningKeySet(),
    };
    expect(() => loadAuthConfig(production)).toThrow(/ADMIN_PASSWORD: must not be the default/);
    expect(loadAuthConfig({ ...production, ADMIN_PASSWORD: 'a real secret from the vault' }).PROFILE).toBe(
      'production',
    );
  });

  it.each([
    ['not JSON', 'nope'],
    ['no keys', '{"keys":[]}'],
    ['an RSA key', '{"keys":[{"kty":"RSA","n":"abc","e":"AQAB","d":"abc","kid":"r"}]}'],
    ['a public key only', '{"keys":[{"kty":"OKP","crv":"Ed25519","x":"abc","kid":"p"}]}'],
  ])('when AUTH_SIGNING_KEYS is %s, then loading fails naming it', (_case, value) => {
    expect(() => loadAuthConfig({ PROFILE: 'embedded', AUTH_SIGNING_KEYS: value })).toThrow(
      /AUTH_SIGNING_KEYS/,
    );
  });

  it('when a TTL is not a positive integer, then loading fails naming it', () => {
    expect(() => loadAuthConfig({ PROFILE: 'embedded', ACCESS_TOKEN_TTL_SECONDS: '-5' })).toThrow(
      /ACCESS_TOKEN_TTL_SECONDS/,
    );
  });
});

describe('auth configuration in the production profile: no secret has a default', () => {
  const ownSecrets = () => ({
    PROFILE: 'production',
    MONGO_URL: 'mongodb://auth:from-the-vault@mongo:27017',
    REDIS_URL: 'redis://:from-the-vault@redis:6379',
    KAFKA_BROKERS: 'kafka:9092',
    AUTH_SIGNING_KEYS: generateSigningKeySet(),
    ADMIN_PASSWORD: 'a real secret from the vault',
  });
  /** The compose profile's key set, committed to the repository. */
  const composeSigningKeys = () =>
    /^AUTH_SIGNING_KEYS=(.*)$/m.exec(
      readFileSync(join(__dirname, '../../../infra/compose/auth.dev.env'), 'utf8'),
    )?.[1] ?? 'missing from infra/compose/auth.dev.env';

  it('when every secret is its own, then the configuration loads', () => {
    expect(loadAuthConfig(ownSecrets()).PROFILE).toBe('production');
  });

  it.each(['AUTH_SIGNING_KEYS', 'MONGO_URL', 'REDIS_URL'])(
    'when %s is unset, then loading fails naming it',
    (name) => {
      expect(() => loadAuthConfig({ ...ownSecrets(), [name]: undefined })).toThrow(
        new RegExp(`${name}: required in the production profile`),
      );
    },
  );

  it('when ADMIN_PASSWORD is unset (its default), then loading fails naming it', () => {
    expect(() => loadAuthConfig({ ...ownSecrets(), ADMIN_PASSWORD: undefined })).toThrow(
      /ADMIN_PASSWORD: must not be the default/,
    );
  });

  it('when AUTH_SIGNING_KEYS holds the compose profile’s committed key, then loading fails naming it', () => {
    const committed = composeSigningKeys();
    // The compose profile itself loads it: it is a development key, refused in production only.
    expect(
      loadAuthConfig({ ...ownSecrets(), PROFILE: 'compose', AUTH_SIGNING_KEYS: committed }).PROFILE,
    ).toBe('compose');
    expect(() => loadAuthConfig({ ...ownSecrets(), AUTH_SIGNING_KEYS: committed })).toThrow(
      /AUTH_SIGNING_KEYS: must not hold a development key/,
    );
    const [own] = JSON.parse(generateSigningKeySet()).keys;
    const rotatingAway = JSON.stringify({ keys: [...JSON.parse(committed).keys, own] });
    expect(() => loadAuthConfig({ ...ownSecrets(), AUTH_SIGNING_KEYS: rotatingAway })).toThrow(
      /AUTH_SIGNING_KEYS: must not hold a development key/,
    );
  });
});

describe('signing key rotation', () => {
  it('when two keys are configured, then both are published and the last one signs', async () => {
    const keys = twoKeys();
    const auth = await startEmbeddedAuth({ AUTH_SIGNING_KEYS: keys.value });
    try {
      const client = new AuthClient(auth.baseUrl);
      const jwks = (await client.get('/.well-known/jwks.json')).body;
      expect(jwks.keys.map((key: { kid: string }) => key.kid)).toEqual([keys.older.kid, keys.newer.kid]);
      expect(JSON.stringify(jwks)).not.toContain(keys.older.d);
      expect(JSON.stringify(jwks)).not.toContain(keys.newer.d);
      const { tokens } = await client.registeredAndLoggedIn(aRegistration());
      expect(decodeProtectedHeader(tokens.accessToken).kid).toBe(keys.newer.kid);
      expect((await client.me(tokens.accessToken)).status).toBe(200);
    } finally {
      await auth.close();
    }
  });
});
