import { ApiContract, ZodValidationPipe } from '@platform/http';
import { ApiTags } from '@nestjs/swagger';
import { Body, Controller, Header, Inject, Post } from '@nestjs/common';
import { tokenPairResponse } from '../login/token-pair.response';
import { refreshTokenRequest, type RefreshTokenRequest } from './refresh-token.request';
import { RotateRefreshToken } from './rotate-refresh-token';

@ApiTags('auth')
@Controller('api/auth')
export class RefreshController {
  constructor(@Inject(RotateRefreshToken) private readonly rotateRefreshToken: RotateRefreshToken) {}

  @Post('refresh')
  @Header('Cache-Control', 'no-store')
  @ApiContract({
    summary: 'Spends a refresh token for the next token pair of its family',
    description: 'A refresh token spent twice revokes its whole family.',
    body: refreshTokenRequest,
    success: { status: 200, description: 'The next token pair.', body: tokenPairResponse },
    problems: { 400: ['validation-failed'], 401: ['invalid-refresh-token'] },
  })
  refresh(@Body(new ZodValidationPipe(refreshTokenRequest)) body: RefreshTokenRequest) {
    return this.rotateRefreshToken.execute(body.refreshToken);
  }
}
