import { Controller, Get, Inject, Param } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Authenticated, type AuthenticatedUser, CurrentUser } from '@platform/auth';
import { GetOrder } from './get-order';

@ApiTags('orders')
@Controller('api/orders')
export class GetOrderController {
  constructor(@Inject(GetOrder) private readonly getOrder: GetOrder) {}

  @Get(':orderId')
  @Authenticated()
  find(@Param('orderId') orderId: string, @CurrentUser() user: AuthenticatedUser) {
    return this.getOrder.execute(orderId, user);
  }
}
