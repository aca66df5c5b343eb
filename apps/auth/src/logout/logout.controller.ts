import { ZodValidationPipe, openApiSchemaOf } from '@platform/http';
import { ApiBody, ApiTags } from '@nestjs/swagger';
import { Body, Controller, HttpCode, Inject, Post } from '@nestjs/common';
import { refreshTokenRequest, type RefreshTokenRequest } from '../refresh/refresh-token.request';
import { LogOut } from './log-out';

@ApiTags('auth')
@Controller('api/auth')
export class LogoutController {
  constructor(@Inject(LogOut) private readonly logOut: LogOut) {}

  @ApiBody({ schema: openApiSchemaOf(refreshTokenRequest) })
  @Post('logout')
  @HttpCode(204)
  async logout(@Body(new ZodValidationPipe(refreshTokenRequest)) body: RefreshTokenRequest): Promise<void> {
    await this.logOut.execute(body.refreshToken);
  }
}
