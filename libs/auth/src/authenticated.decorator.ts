import { UseGuards, applyDecorators } from '@nestjs/common';
import { ApiBearerAuth } from '@nestjs/swagger';
import { AccessTokenGuard } from './access-token.guard';

/** The controller or handler requires a valid access token (`Authorization: Bearer …`). */
export function Authenticated(): ClassDecorator & MethodDecorator {
  return applyDecorators(UseGuards(AccessTokenGuard), ApiBearerAuth());
}
