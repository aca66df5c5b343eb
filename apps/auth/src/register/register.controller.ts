import { ApiContract, ZodValidationPipe } from '@platform/http';
import { ApiTags } from '@nestjs/swagger';
import { Body, Controller, Inject, Post } from '@nestjs/common';
import { userProfileResponse } from '../me/user-profile.response';
import { RegisterUser } from './register-user';
import { registerRequest, type RegisterRequest } from './register.request';

@ApiTags('auth')
@Controller('api/auth')
export class RegisterController {
  constructor(@Inject(RegisterUser) private readonly registerUser: RegisterUser) {}

  @Post('register')
  @ApiContract({
    summary: 'Creates an account, with the role customer',
    body: registerRequest,
    bodyExample: { email: 'ada@example.com', password: 'correct horse battery staple', name: 'Ada' },
    success: { status: 201, description: 'The new account.', body: userProfileResponse },
    problems: { 400: ['validation-failed'], 409: ['email-taken'] },
  })
  register(@Body(new ZodValidationPipe(registerRequest)) body: RegisterRequest) {
    return this.registerUser.execute(body);
  }
}
