import { type CallHandler, type ExecutionContext, Injectable, type NestInterceptor } from '@nestjs/common';
import { ProblemException } from '@platform/http';
import { type Observable, catchError, throwError } from 'rxjs';
import {
  AuthError,
  EmailTakenError,
  InvalidCredentialsError,
  InvalidRefreshTokenError,
  TooManyAttemptsError,
  UnknownUserError,
} from '../domain/errors';

/** The one place where the service's errors become HTTP problems. */
export function problemOf(error: AuthError): ProblemException {
  const bearer = { 'WWW-Authenticate': 'Bearer' };
  if (error instanceof EmailTakenError)
    return new ProblemException({ status: 409, type: 'email-taken', detail: error.message });
  if (error instanceof InvalidCredentialsError)
    return new ProblemException({
      status: 401,
      type: 'invalid-credentials',
      detail: error.message,
      headers: bearer,
    });
  if (error instanceof InvalidRefreshTokenError)
    return new ProblemException({
      status: 401,
      type: 'invalid-refresh-token',
      detail: error.message,
      headers: bearer,
    });
  if (error instanceof UnknownUserError)
    return new ProblemException({
      status: 401,
      type: 'invalid-access-token',
      detail: error.message,
      headers: { 'WWW-Authenticate': 'Bearer error="invalid_token"' },
    });
  if (error instanceof TooManyAttemptsError) {
    const retryAfter = String(error.retryAfterSeconds);
    return new ProblemException({
      status: 429,
      type: 'too-many-attempts',
      detail: error.message,
      headers: { 'Retry-After': retryAfter },
      extensions: { retryAfterSeconds: error.retryAfterSeconds },
    });
  }
  return new ProblemException({ status: 400, detail: error.message });
}

@Injectable()
export class AuthErrorsInterceptor implements NestInterceptor {
  intercept(_context: ExecutionContext, next: CallHandler): Observable<unknown> {
    return next
      .handle()
      .pipe(
        catchError((error: unknown) =>
          throwError(() => (error instanceof AuthError ? problemOf(error) : error)),
        ),
      );
  }
}
