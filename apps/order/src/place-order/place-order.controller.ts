import { Controller, Inject, Post, Req, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { z } from 'zod';
import { Authenticated, type AuthenticatedUser, CurrentUser, authenticationProblems } from '@platform/auth';
import { ApiContract, ZodValidationPipe } from '@platform/http';
import {
  IDEMPOTENCY_KEY_HEADER,
  IDEMPOTENT_REPLAYED_HEADER,
  IdempotentHttp,
  idempotencyKeyHeader,
} from '@platform/idempotency';
import { currentTraceparent } from '../http-edge/current-traceparent';
import { PlaceOrder } from './place-order';
import { placeOrderRequest } from './place-order.request';
import { placedOrderResponse } from './place-order.response';

const validBody = new ZodValidationPipe(placeOrderRequest);

@ApiTags('orders')
@Controller('api/orders')
export class PlaceOrderController {
  constructor(
    @Inject(IdempotentHttp) private readonly idempotentHttp: IdempotentHttp,
    @Inject(PlaceOrder) private readonly placeOrder: PlaceOrder,
  ) {}

  /**
   * Admission first: under overload the refusal touches no store. Then the key, before the body: a
   * replay answers without validating or pricing again.
   * The body is validated inside the idempotent execution, so a refused body stores no record
   * and the same key can be sent again with a corrected body.
   */
  @Post()
  @Authenticated()
  @ApiContract({
    summary: 'Places an order: priced now, then paid and its stock reserved by the order saga',
    description:
      'The outcome comes later: follow it with `GET /api/orders/{orderId}` or its event stream. ' +
      'A repeated Idempotency-Key with the same body replays the first answer.',
    headers: z.object({ [IDEMPOTENCY_KEY_HEADER]: idempotencyKeyHeader }),
    body: placeOrderRequest,
    bodyExample: { items: [{ sku: 'KETTLE-1L', quantity: 1 }], paymentMethod: 'tok_visa' },
    success: {
      status: 202,
      description: 'The order, PENDING, as priced.',
      body: placedOrderResponse,
      headers: {
        Location: { description: 'The order: `/api/orders/{orderId}`.', required: true },
        [IDEMPOTENT_REPLAYED_HEADER]: {
          description: '`true` when this is the replay of an earlier answer to the same key.',
          schema: z.literal('true'),
        },
      },
    },
    problems: [
      authenticationProblems,
      {
        400: [
          'idempotency-key-missing',
          'idempotency-key-malformed',
          'validation-failed',
          'unknown-sku',
          'mixed-currencies',
        ],
        409: ['idempotency-key-in-use'],
        422: ['idempotency-key-reused', 'order-total-too-large'],
        503: ['overloaded', 'prices-unavailable'],
      },
    ],
  })
  async place(
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
    @CurrentUser() user: AuthenticatedUser,
  ): Promise<unknown> {
    const traceparent = currentTraceparent();
    await this.placeOrder.admit();
    return this.idempotentHttp.respond({ request, response, userId: user.id }, (idempotent) =>
      this.placeOrder.execute(validBody.transform(request.body), idempotent, traceparent),
    );
  }
}
