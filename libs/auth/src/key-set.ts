import {
  type CryptoKey,
  type JSONWebKeySet,
  type JWK,
  type JWTVerifyGetKey,
  createLocalJWKSet,
  createRemoteJWKSet,
  errors,
} from 'jose';
import { InvalidAccessTokenError } from './invalid-access-token.error';
import { KeySetUnavailableError } from './key-set-unavailable.error';

/** Where the public keys come from: the auth service's JWKS URL, or (in the auth service) its own key store. */
export type KeySetSource = { url: string } | { local: () => Promise<{ keys: JWK[] }> };

/**
 * Keys are cached for 10 minutes; a token with an unknown `kid` (a key rotated in since) refetches
 * at once, but at most once per 30 s, so a flood of forged kids cannot flood the auth service.
 */
const REMOTE_KEY_SET_SETTINGS = {
  cacheMaxAge: 10 * 60_000,
  cooldownDuration: 30_000,
  timeoutDuration: 3_000,
};

/**
 * The key lookup jwtVerify calls. Lookup failures are split in two: a token naming no published key
 * is the token's fault; a key set that cannot be fetched or read is not (KeySetUnavailableError).
 */
export function keyLookupFor(source: KeySetSource): JWTVerifyGetKey {
  const findKey =
    'url' in source
      ? createRemoteJWKSet(new URL(source.url), REMOTE_KEY_SET_SETTINGS)
      : localKeyLookup(source.local);
  return async (protectedHeader, token) => {
    // Every key the auth service publishes has a kid; without one, jose would guess among them.
    if (typeof protectedHeader.kid !== 'string' || protectedHeader.kid === '')
      throw new InvalidAccessTokenError('no "kid" header');
    try {
      return await findKey(protectedHeader, token);
    } catch (error) {
      if (error instanceof errors.JWKSNoMatchingKey || error instanceof errors.JWKSMultipleMatchingKeys)
        throw error;
      throw new KeySetUnavailableError(error);
    }
  };
}

/** Reads the key set on every lookup, so a rotation in the auth service is seen at once; re-imports only when it changed. */
function localKeyLookup(
  load: () => Promise<JSONWebKeySet>,
): (header: Parameters<JWTVerifyGetKey>[0], token: Parameters<JWTVerifyGetKey>[1]) => Promise<CryptoKey> {
  let loaded: JSONWebKeySet | undefined;
  let lookup: ReturnType<typeof createLocalJWKSet> | undefined;
  return async (protectedHeader, token) => {
    const keySet = await load();
    if (keySet !== loaded || !lookup) {
      lookup = createLocalJWKSet(keySet);
      loaded = keySet;
    }
    return lookup(protectedHeader, token);
  };
}
