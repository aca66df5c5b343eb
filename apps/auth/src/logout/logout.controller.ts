import { Body, Controller, HttpCode, Inject, Post } from '@nestjs/common';
import { ZodBodyPipe } from '../http-edge/zod-body.pipe';
import { refreshTokenRequest, type RefreshTokenRequest } from '../refresh/refresh-token.request';
import { LogOut } from './log-out';

@Controller('api/auth')
export class LogoutController {
  constructor(@Inject(LogOut) private readonly logOut: LogOut) {}

  @Post('logout')
  @HttpCode(204)
  async logout(@Body(new ZodBodyPipe(refreshTokenRequest)) body: RefreshTokenRequest): Promise<void> {
    await this.logOut.execute(body.refreshToken);
  }
}
