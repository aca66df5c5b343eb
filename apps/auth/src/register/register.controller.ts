import { Body, Controller, HttpCode, Inject, Post } from '@nestjs/common';
import { ZodBodyPipe } from '../http-edge/zod-body.pipe';
import { RegisterUser } from './register-user';
import { registerRequest, type RegisterRequest } from './register.request';

@Controller('api/auth')
export class RegisterController {
  constructor(@Inject(RegisterUser) private readonly registerUser: RegisterUser) {}

  @Post('register')
  @HttpCode(201)
  register(@Body(new ZodBodyPipe(registerRequest)) body: RegisterRequest) {
    return this.registerUser.execute(body);
  }
}
