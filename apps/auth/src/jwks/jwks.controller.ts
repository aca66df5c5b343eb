import { ApiTags } from '@nestjs/swagger';
import { Controller, Get, Header, Inject } from '@nestjs/common';
import { ApiContract } from '@platform/http';
import { SigningKeys } from '../signing-keys/signing-keys';
import { jwksResponse } from './jwks.response';

@ApiTags('auth')
@Controller('.well-known')
export class JwksController {
  constructor(@Inject(SigningKeys) private readonly keys: SigningKeys) {}

  /** Public keys only; verifiers cache it (libs/auth refetches on an unknown kid). */
  @Get('jwks.json')
  @Header('Cache-Control', 'public, max-age=300')
  @ApiContract({
    summary: 'The public keys that sign access tokens (JWK set)',
    success: { status: 200, description: 'The key set; cache it for 5 minutes.', body: jwksResponse },
    problems: {},
  })
  jwks() {
    return this.keys.publicJwks;
  }
}
