import { ZodValidationPipe, openApiSchemaOf } from '@platform/http';
import { ApiBody, ApiTags } from '@nestjs/swagger';
import { Body, Controller, HttpCode, Inject, Post } from '@nestjs/common';
import { RegisterUser } from './register-user';
import { registerRequest, type RegisterRequest } from './register.request';

@ApiTags('auth')
@Controller('api/auth')
export class RegisterController {
  constructor(@Inject(RegisterUser) private readonly registerUser: RegisterUser) {}

  @ApiBody({ schema: openApiSchemaOf(registerRequest) })
  @Post('register')
  @HttpCode(201)
  register(@Body(new ZodValidationPipe(registerRequest)) body: RegisterRequest) {
    return this.registerUser.execute(body);
  }
}
