import { Controller, Get, Inject, Param, Req, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { z } from 'zod';
import { Authenticated, type AuthenticatedUser, CurrentUser, authenticationProblems } from '@platform/auth';
import { ApiContract } from '@platform/http';
import { orderParams } from '../get-order/order.params';
import { OrderEventStreams } from './order-event-streams';
import { orderStatusEventResponse } from './order-events.response';

@ApiTags('orders')
@Controller('api/orders')
export class OrderEventsController {
  constructor(@Inject(OrderEventStreams) private readonly streams: OrderEventStreams) {}

  /** Server-sent events: the current status, then one event per status change, closed after a final one. */
  @Get(':orderId/events')
  @Authenticated()
  @ApiContract({
    summary: "An order's status as server-sent events",
    description:
      'The current status, then one `status` event per change; the server closes the stream after a final status. ' +
      'An idle stream gets a `: heartbeat` comment now and then.',
    params: orderParams,
    headers: z.object({
      'Last-Event-ID': z
        .string()
        .optional()
        .meta({
          description: 'Resumes after this event id; one that is not an id of the stream starts it afresh.',
        }),
    }),
    success: {
      status: 200,
      description:
        'The event stream; the schema is of one event, e.g. ' +
        '`id: 1` `event: status` `data: {"orderId":"13af9679-…","status":"CONFIRMED","at":"2026-12-04T21:14:29.240Z"}`.',
      mediaType: 'text/event-stream',
      body: orderStatusEventResponse,
    },
    problems: [authenticationProblems, { 404: ['about:blank'], 429: ['too-many-streams'] }],
  })
  events(
    @Param('orderId') orderId: string,
    @CurrentUser() user: AuthenticatedUser,
    @Req() request: Request,
    @Res() response: Response,
  ): Promise<void> {
    return this.streams.stream(orderId, user, request, response);
  }
}
