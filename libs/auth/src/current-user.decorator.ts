import { type ExecutionContext, createParamDecorator } from '@nestjs/common';
import type { Request } from 'express';
import { verifiedUserOf } from './authenticated-request';
import type { AuthenticatedUser } from './authenticated-user';

/** `@CurrentUser() user: AuthenticatedUser`: who the access token names, on an `@Authenticated()` route. */
export const CurrentUser = createParamDecorator(
  (_data: unknown, context: ExecutionContext): AuthenticatedUser => {
    const user = verifiedUserOf(context.switchToHttp().getRequest<Request>());
    // A route without the guard is a programming error: fail (500) rather than run with no user.
    if (!user) throw new Error('@CurrentUser() used on a route without @Authenticated() or @Roles()');
    return user;
  },
);
