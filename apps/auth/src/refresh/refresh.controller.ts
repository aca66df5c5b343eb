import { Body, Controller, Header, HttpCode, Inject, Post } from '@nestjs/common';
import { ZodBodyPipe } from '../http-edge/zod-body.pipe';
import { refreshTokenRequest, type RefreshTokenRequest } from './refresh-token.request';
import { RotateRefreshToken } from './rotate-refresh-token';

@Controller('api/auth')
export class RefreshController {
  constructor(@Inject(RotateRefreshToken) private readonly rotateRefreshToken: RotateRefreshToken) {}

  @Post('refresh')
  @HttpCode(200)
  @Header('Cache-Control', 'no-store')
  refresh(@Body(new ZodBodyPipe(refreshTokenRequest)) body: RefreshTokenRequest) {
    return this.rotateRefreshToken.execute(body.refreshToken);
  }
}
