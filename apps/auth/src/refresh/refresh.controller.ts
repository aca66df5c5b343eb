import { ZodValidationPipe, openApiSchemaOf } from '@platform/http';
import { ApiBody, ApiTags } from '@nestjs/swagger';
import { Body, Controller, Header, HttpCode, Inject, Post } from '@nestjs/common';
import { refreshTokenRequest, type RefreshTokenRequest } from './refresh-token.request';
import { RotateRefreshToken } from './rotate-refresh-token';

@ApiTags('auth')
@Controller('api/auth')
export class RefreshController {
  constructor(@Inject(RotateRefreshToken) private readonly rotateRefreshToken: RotateRefreshToken) {}

  @ApiBody({ schema: openApiSchemaOf(refreshTokenRequest) })
  @Post('refresh')
  @HttpCode(200)
  @Header('Cache-Control', 'no-store')
  refresh(@Body(new ZodValidationPipe(refreshTokenRequest)) body: RefreshTokenRequest) {
    return this.rotateRefreshToken.execute(body.refreshToken);
  }
}
