import { ApiTags } from '@nestjs/swagger';
import { Controller, Get, Inject } from '@nestjs/common';
import { Authenticated, CurrentUser, authenticationProblems, type AuthenticatedUser } from '@platform/auth';
import { ApiContract } from '@platform/http';
import { UnknownUserError } from '../domain/errors';
import { publicProfileOf } from '../domain/user';
import { USERS_REPOSITORY, type UsersRepository } from '../users/users.repository.port';
import { userProfileResponse } from './user-profile.response';

@ApiTags('auth')
@Controller('api/auth')
export class MeController {
  constructor(@Inject(USERS_REPOSITORY) private readonly users: UsersRepository) {}

  /** The caller's own account, read fresh (roles from the store, not from the possibly older token). */
  @Get('me')
  @Authenticated()
  @ApiContract({
    summary: "The caller's own account",
    description: 'Roles are read from the store, not from the token.',
    success: { status: 200, description: 'The account.', body: userProfileResponse },
    problems: [authenticationProblems, { 401: ['invalid-access-token'] }],
  })
  async me(@CurrentUser() caller: AuthenticatedUser) {
    const user = await this.users.findById(caller.id);
    if (!user) throw new UnknownUserError();
    return publicProfileOf(user);
  }
}
