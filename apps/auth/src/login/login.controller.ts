import { Body, Controller, Header, HttpCode, Inject, Post } from '@nestjs/common';
import { ClientAddress } from '../http-edge/client-address.decorator';
import { ZodBodyPipe } from '../http-edge/zod-body.pipe';
import { LogIn } from './log-in';
import { loginRequest, type LoginRequest } from './login.request';

@Controller('api/auth')
export class LoginController {
  constructor(@Inject(LogIn) private readonly logIn: LogIn) {}

  @Post('login')
  @HttpCode(200)
  @Header('Cache-Control', 'no-store')
  login(@Body(new ZodBodyPipe(loginRequest)) body: LoginRequest, @ClientAddress() clientAddress: string) {
    return this.logIn.execute(body, clientAddress);
  }
}
