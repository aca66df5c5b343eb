import { ApiContract, ZodValidationPipe } from '@platform/http';
import { ApiTags } from '@nestjs/swagger';
import { Body, Controller, Header, Inject, Post } from '@nestjs/common';
import { ClientAddress } from '../http-edge/client-address.decorator';
import { LogIn } from './log-in';
import { loginRequest, type LoginRequest } from './login.request';
import { tokenPairResponse } from './token-pair.response';

@ApiTags('auth')
@Controller('api/auth')
export class LoginController {
  constructor(@Inject(LogIn) private readonly logIn: LogIn) {}

  @Post('login')
  @Header('Cache-Control', 'no-store')
  @ApiContract({
    summary: 'Logs in: a new access token and the first refresh token of a new family',
    description: 'Failed attempts are throttled per account and client address (429 `too-many-attempts`).',
    body: loginRequest,
    bodyExample: { email: 'ada@example.com', password: 'correct horse battery staple' },
    success: { status: 200, description: 'A token pair.', body: tokenPairResponse },
    problems: {
      400: ['validation-failed'],
      401: ['invalid-credentials'],
      429: ['too-many-attempts'],
    },
  })
  login(
    @Body(new ZodValidationPipe(loginRequest)) body: LoginRequest,
    @ClientAddress() clientAddress: string,
  ) {
    return this.logIn.execute(body, clientAddress);
  }
}
