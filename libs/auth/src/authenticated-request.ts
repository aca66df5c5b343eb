import type { Request } from 'express';
import type { AuthenticatedUser } from './authenticated-user';

// Kept apart from `request.user`, which any middleware could set: only what the guard verified counts.
const verifiedUsers = new WeakMap<Request, AuthenticatedUser>();

export function attachVerifiedUser(
  request: Request & { user?: AuthenticatedUser },
  user: AuthenticatedUser,
): void {
  verifiedUsers.set(request, user);
  // Also where Nest code conventionally looks (interceptors, logging); never read back by this library.
  request.user = user;
}

export function verifiedUserOf(request: Request): AuthenticatedUser | undefined {
  return verifiedUsers.get(request);
}
