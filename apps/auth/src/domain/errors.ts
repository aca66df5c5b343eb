/** Failures a caller can act on; each has a stable code, and the HTTP edge maps each to one problem. */
export abstract class AuthError extends Error {
  abstract readonly code: string;
}

export class EmailTakenError extends AuthError {
  readonly code = 'AUTH.EMAIL_TAKEN';
  constructor() {
    super('An account with this email already exists.');
  }
}

export class InvalidCredentialsError extends AuthError {
  readonly code = 'AUTH.INVALID_CREDENTIALS';
  constructor() {
    super('The email or the password is wrong.');
  }
}

export class InvalidRefreshTokenError extends AuthError {
  readonly code = 'AUTH.INVALID_REFRESH_TOKEN';
  constructor() {
    super('The refresh token is unknown, expired, revoked or already used: log in again.');
  }
}

export class TooManyAttemptsError extends AuthError {
  readonly code = 'AUTH.TOO_MANY_ATTEMPTS';
  constructor(readonly retryAfterSeconds: number) {
    super('Too many failed logins: wait before trying again.');
  }
}

export class UnknownUserError extends AuthError {
  readonly code = 'AUTH.UNKNOWN_USER';
  constructor() {
    super('The account of this token no longer exists.');
  }
}
