import { Controller, Get, Inject, Param } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Authenticated, type AuthenticatedUser, CurrentUser, authenticationProblems } from '@platform/auth';
import { ApiContract } from '@platform/http';
import { GetOrder } from './get-order';
import { orderParams } from './order.params';
import { orderResponse } from './order.response';

@ApiTags('orders')
@Controller('api/orders')
export class GetOrderController {
  constructor(@Inject(GetOrder) private readonly getOrder: GetOrder) {}

  @Get(':orderId')
  @Authenticated()
  @ApiContract({
    summary: 'One order, to its owner or an admin',
    description: "Another user's order answers the same 404 as an unknown one.",
    params: orderParams,
    success: { status: 200, description: 'The order and its status history.', body: orderResponse },
    problems: [authenticationProblems, { 404: ['about:blank'] }],
  })
  find(@Param('orderId') orderId: string, @CurrentUser() user: AuthenticatedUser) {
    return this.getOrder.execute(orderId, user);
  }
}
