import { ApiContract, ZodValidationPipe } from '@platform/http';
import { ApiTags } from '@nestjs/swagger';
import { Body, Controller, Inject, Post } from '@nestjs/common';
import { refreshTokenRequest, type RefreshTokenRequest } from '../refresh/refresh-token.request';
import { LogOut } from './log-out';

@ApiTags('auth')
@Controller('api/auth')
export class LogoutController {
  constructor(@Inject(LogOut) private readonly logOut: LogOut) {}

  @Post('logout')
  @ApiContract({
    summary: 'Revokes the family of a refresh token',
    description: 'An unknown refresh token is no error: logging out twice answers 204 twice.',
    body: refreshTokenRequest,
    success: { status: 204, description: 'Logged out.' },
    problems: { 400: ['validation-failed'] },
  })
  async logout(@Body(new ZodValidationPipe(refreshTokenRequest)) body: RefreshTokenRequest): Promise<void> {
    await this.logOut.execute(body.refreshToken);
  }
}
