import { ApiTags } from '@nestjs/swagger';
import { Controller, Get, Header, Inject } from '@nestjs/common';
import { SigningKeys } from '../signing-keys/signing-keys';

@ApiTags('auth')
@Controller('.well-known')
export class JwksController {
  constructor(@Inject(SigningKeys) private readonly keys: SigningKeys) {}

  /** Public keys only; verifiers cache it (libs/auth refetches on an unknown kid). */
  @Get('jwks.json')
  @Header('Cache-Control', 'public, max-age=300')
  jwks() {
    return this.keys.publicJwks;
  }
}
