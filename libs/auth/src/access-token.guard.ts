import { type CanActivate, type ExecutionContext, Injectable, Logger } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ProblemException } from '@platform/http';
import type { Request } from 'express';
import { AccessTokenVerifier } from './access-token-verifier';
import { attachVerifiedUser, verifiedUserOf } from './authenticated-request';
import type { AuthenticatedUser } from './authenticated-user';
import { InvalidAccessTokenError } from './invalid-access-token.error';
import { KeySetUnavailableError } from './key-set-unavailable.error';
import { meetsRequiredRoles } from './required-roles';

// RFC 6750: the scheme is case-insensitive, the token is a b64token.
const BEARER = /^Bearer +([A-Za-z0-9\-._~+/]+=*) *$/i;

/**
 * Lets a request through when it carries a valid access token (and the roles `@Roles` asks for),
 * and attaches the user for `@CurrentUser()`. Every invalid token gets the same answer; why it was
 * refused goes to the debug log only.
 */
@Injectable()
export class AccessTokenGuard implements CanActivate {
  private readonly logger = new Logger('AccessTokenGuard');

  constructor(
    private readonly verifier: AccessTokenVerifier,
    private readonly reflector: Reflector,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<Request>();
    // A guard on both the controller and the handler runs twice; verify once.
    let user = verifiedUserOf(request);
    if (!user) {
      user = await this.authenticate(request);
      attachVerifiedUser(request, user);
    }
    if (!meetsRequiredRoles(this.reflector, context, user.roles)) throw rolesRefused();
    return true;
  }

  private authenticate(request: Request): Promise<AuthenticatedUser> {
    return authenticateBearer(request.headers.authorization, this.verifier, this.logger);
  }
}

/**
 * The user of an `Authorization: Bearer` header, or the problem to answer: 401 without a token or
 * with an invalid one (every invalid token the same answer; why goes to the debug log), 503 while
 * the auth service's keys cannot be fetched. The guard and the gateway's role-checked routes use it.
 */
export async function authenticateBearer(
  authorization: string | undefined,
  verifier: Pick<AccessTokenVerifier, 'verify'>,
  logger: Pick<Logger, 'debug' | 'warn'>,
): Promise<AuthenticatedUser> {
  const token = BEARER.exec(authorization ?? '')?.[1];
  if (token === undefined) {
    throw new ProblemException({
      status: 401,
      detail: 'This operation requires an access token.',
      headers: { 'WWW-Authenticate': 'Bearer' },
    });
  }
  try {
    return await verifier.verify(token);
  } catch (error) {
    if (error instanceof InvalidAccessTokenError) {
      logger.debug({ reason: error.reason }, 'access token refused');
      throw new ProblemException({
        status: 401,
        detail: 'The access token is invalid or has expired.',
        headers: { 'WWW-Authenticate': 'Bearer error="invalid_token"' },
      });
    }
    if (error instanceof KeySetUnavailableError) {
      logger.warn({ err: error.cause }, 'public keys unavailable, cannot verify access tokens');
      throw new ProblemException({
        status: 503,
        detail: 'Authentication is temporarily unavailable.',
        headers: { 'Retry-After': '5' },
      });
    }
    throw error;
  }
}

/** The 403 of a verified caller whose roles do not allow the operation. */
export function rolesRefused(): ProblemException {
  return new ProblemException({ status: 403, detail: 'Your roles do not allow this operation.' });
}
