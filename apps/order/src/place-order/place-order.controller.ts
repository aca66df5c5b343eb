import { Controller, HttpCode, Inject, Post, Req, Res } from '@nestjs/common';
import { ApiBody, ApiHeader, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { Authenticated, type AuthenticatedUser, CurrentUser } from '@platform/auth';
import { ZodValidationPipe, openApiSchemaOf } from '@platform/http';
import { IDEMPOTENCY_KEY_HEADER, IdempotentHttp } from '@platform/idempotency';
import { currentTraceparent } from '../http-edge/current-traceparent';
import { PlaceOrder } from './place-order';
import { placeOrderRequest } from './place-order.request';

const validBody = new ZodValidationPipe(placeOrderRequest);

@ApiTags('orders')
@Controller('api/orders')
export class PlaceOrderController {
  constructor(
    @Inject(IdempotentHttp) private readonly idempotentHttp: IdempotentHttp,
    @Inject(PlaceOrder) private readonly placeOrder: PlaceOrder,
  ) {}

  /**
   * The key is checked before the body: a replay answers without validating or pricing again.
   * The body is validated inside the idempotent execution, so a refused body stores no record
   * and the same key can be sent again with a corrected body.
   */
  @ApiBody({ schema: openApiSchemaOf(placeOrderRequest) })
  @ApiHeader({ name: IDEMPOTENCY_KEY_HEADER, required: true })
  @Post()
  @Authenticated()
  @HttpCode(202)
  place(
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
    @CurrentUser() user: AuthenticatedUser,
  ): Promise<unknown> {
    const traceparent = currentTraceparent();
    return this.idempotentHttp.respond({ request, response, userId: user.id }, (idempotent) =>
      this.placeOrder.execute(validBody.transform(request.body), idempotent, traceparent),
    );
  }
}
