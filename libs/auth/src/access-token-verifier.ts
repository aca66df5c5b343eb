import { type JWTVerifyGetKey, errors, jwtVerify } from 'jose';
import {
  ACCESS_TOKEN_ALGORITHMS,
  ACCESS_TOKEN_TYPE,
  CLOCK_TOLERANCE_SECONDS,
  MAX_ACCESS_TOKEN_LENGTH,
  accessTokenClaims,
} from './access-token-claims';
import type { AuthenticatedUser } from './authenticated-user';
import { InvalidAccessTokenError } from './invalid-access-token.error';
import { KeySetUnavailableError } from './key-set-unavailable.error';
import { type KeySetSource, keyLookupFor } from './key-set';

export interface AccessTokenVerifierOptions {
  /** The `iss` the auth service writes, e.g. 'platform-auth'. */
  issuer: string;
  /** The `aud` the auth service writes, e.g. 'platform'. */
  audience: string;
  /**
   * Where the public keys come from: the auth service's JWKS URL (every other service), or a local
   * function returning the public JWK set (the auth service itself).
   */
  jwks: KeySetSource;
}

/**
 * Checks an access token the way every service must: signature by a published Ed25519 key, pinned
 * algorithm, `typ`, `iss`, `aud`, `exp`, `iat`, `sub` and `roles`. Each service does this itself;
 * the gateway is not the only wall.
 */
export class AccessTokenVerifier {
  private readonly findKey: JWTVerifyGetKey;

  constructor(private readonly options: AccessTokenVerifierOptions) {
    this.findKey = keyLookupFor(options.jwks);
  }

  /**
   * @throws InvalidAccessTokenError when the token is not acceptable
   * @throws KeySetUnavailableError when the public keys cannot be obtained
   */
  async verify(token: string): Promise<AuthenticatedUser> {
    if (token.length > MAX_ACCESS_TOKEN_LENGTH)
      throw new InvalidAccessTokenError(`longer than ${MAX_ACCESS_TOKEN_LENGTH} characters`);
    const { payload } = await jwtVerify(token, this.findKey, {
      algorithms: ACCESS_TOKEN_ALGORITHMS,
      typ: ACCESS_TOKEN_TYPE,
      issuer: this.options.issuer,
      audience: this.options.audience,
      requiredClaims: ['exp', 'iat', 'sub'],
      clockTolerance: CLOCK_TOLERANCE_SECONDS,
    }).catch((error: unknown) => {
      throw error instanceof InvalidAccessTokenError || error instanceof KeySetUnavailableError
        ? error
        : new InvalidAccessTokenError(reasonOf(error), { cause: error });
    });
    const claims = accessTokenClaims.safeParse(payload);
    if (!claims.success)
      throw new InvalidAccessTokenError(
        `claims: ${claims.error.issues.map((issue) => `${issue.path.join('.')} ${issue.message}`).join('; ')}`,
      );
    return { id: claims.data.sub, roles: claims.data.roles };
  }
}

function reasonOf(error: unknown): string {
  if (error instanceof errors.JOSEError) return `${error.code}: ${error.message}`;
  return error instanceof Error ? error.message : String(error);
}
