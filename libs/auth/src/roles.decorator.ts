import { SetMetadata, applyDecorators } from '@nestjs/common';
import { Authenticated } from './authenticated.decorator';
import { REQUIRED_ROLES } from './required-roles';

/** The caller must be authenticated and hold at least one of `roles`; otherwise 403. */
export function Roles(...roles: string[]): ClassDecorator & MethodDecorator {
  // `@Roles()` with nothing would silently mean "any authenticated user".
  if (roles.length === 0) throw new Error('@Roles() needs at least one role');
  return applyDecorators(SetMetadata(REQUIRED_ROLES, roles), Authenticated());
}
