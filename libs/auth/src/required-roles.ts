import type { ExecutionContext } from '@nestjs/common';
import type { Reflector } from '@nestjs/core';

/** Metadata key under which `@Roles(...)` records the roles a class or a handler requires. */
export const REQUIRED_ROLES = Symbol('REQUIRED_ROLES');

/**
 * Every `@Roles(...)` on the handler and on its controller must be met, each by at least one of its
 * roles: a handler's `@Roles` narrows its controller's, it never widens it.
 */
export function meetsRequiredRoles(
  reflector: Reflector,
  context: ExecutionContext,
  userRoles: string[],
): boolean {
  const requirements = reflector.getAll<(string[] | undefined)[]>(REQUIRED_ROLES, [
    context.getHandler(),
    context.getClass(),
  ]);
  return requirements.every((anyOf) => anyOf === undefined || anyOf.some((role) => userRoles.includes(role)));
}
