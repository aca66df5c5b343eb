import { NotFoundException } from '@nestjs/common';
import type { AuthenticatedUser } from './authenticated-user';

export const ADMIN_ROLE = 'admin';

/**
 * Object-level authorization: only the owner or an admin may see a resource. Anyone else gets the
 * same 404 problem as for a resource that does not exist (the problem filter writes a plain
 * NotFoundException as its generic 404), so the resource's existence is never revealed.
 */
export function assertOwnerOrAdmin(user: AuthenticatedUser, ownerId: string): void {
  if (user.id === ownerId || user.roles.includes(ADMIN_ROLE)) return;
  throw new NotFoundException();
}
