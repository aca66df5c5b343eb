/**
 * The token is not acceptable: forged, expired, for another audience, malformed. `reason` is for
 * logs only; clients get one generic answer whatever the reason, so a forger learns nothing.
 */
export class InvalidAccessTokenError extends Error {
  override readonly name = 'InvalidAccessTokenError';

  constructor(
    readonly reason: string,
    options?: { cause?: unknown },
  ) {
    super('The access token is invalid.', options);
  }
}
