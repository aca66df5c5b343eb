import { z } from 'zod';

/** The `typ` header the auth service sets on access tokens (RFC 9068), so no other JWT passes for one. */
export const ACCESS_TOKEN_TYPE = 'at+jwt';

/** The only algorithm accepted: pinning it refuses `alg: none`, HMAC with the public key as secret, RS/ES. */
export const ACCESS_TOKEN_ALGORITHMS = ['EdDSA'];

/** Seconds of clock skew tolerated between the auth service and the verifying service. */
export const CLOCK_TOLERANCE_SECONDS = 5;

/** A real access token is a few hundred bytes; anything much longer is refused before any parsing. */
export const MAX_ACCESS_TOKEN_LENGTH = 8 * 1024;

/** The claims jose does not check by itself; `exp`, `iat`, `iss` and `aud` are checked by jwtVerify. */
export const accessTokenClaims = z.object({
  sub: z.string().min(1),
  roles: z.array(z.string()),
});
