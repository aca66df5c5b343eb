import { Controller, Get, Inject, Param, Req, Res } from '@nestjs/common';
import { ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { Authenticated, type AuthenticatedUser, CurrentUser } from '@platform/auth';
import { OrderEventStreams } from './order-event-streams';

@ApiTags('orders')
@Controller('api/orders')
export class OrderEventsController {
  constructor(@Inject(OrderEventStreams) private readonly streams: OrderEventStreams) {}

  /** Server-sent events: the current status, then one event per status change, closed after a final one. */
  @ApiProduces('text/event-stream')
  @Get(':orderId/events')
  @Authenticated()
  events(
    @Param('orderId') orderId: string,
    @CurrentUser() user: AuthenticatedUser,
    @Req() request: Request,
    @Res() response: Response,
  ): Promise<void> {
    return this.streams.stream(orderId, user, request, response);
  }
}
