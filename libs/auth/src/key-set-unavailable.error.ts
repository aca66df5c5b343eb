/**
 * The public keys could not be obtained (the auth service's JWKS endpoint is down, slow or answers
 * garbage). Not the token's fault: the caller should answer 503, not ask the user to log in again.
 */
export class KeySetUnavailableError extends Error {
  override readonly name = 'KeySetUnavailableError';

  constructor(cause: unknown) {
    super('The public key set of the auth service is unavailable.', { cause });
  }
}
