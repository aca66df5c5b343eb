import { ZodValidationPipe, openApiSchemaOf } from '@platform/http';
import { ApiBody, ApiTags } from '@nestjs/swagger';
import { Body, Controller, Header, HttpCode, Inject, Post } from '@nestjs/common';
import { ClientAddress } from '../http-edge/client-address.decorator';
import { LogIn } from './log-in';
import { loginRequest, type LoginRequest } from './login.request';

@ApiTags('auth')
@Controller('api/auth')
export class LoginController {
  constructor(@Inject(LogIn) private readonly logIn: LogIn) {}

  @ApiBody({ schema: openApiSchemaOf(loginRequest) })
  @Post('login')
  @HttpCode(200)
  @Header('Cache-Control', 'no-store')
  login(
    @Body(new ZodValidationPipe(loginRequest)) body: LoginRequest,
    @ClientAddress() clientAddress: string,
  ) {
    return this.logIn.execute(body, clientAddress);
  }
}
