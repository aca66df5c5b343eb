import { Controller, Get, Inject, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Authenticated, type AuthenticatedUser, CurrentUser } from '@platform/auth';
import { ZodValidationPipe } from '@platform/http';
import { ListOrders } from './list-orders';
import { type ListOrdersQuery, listOrdersQuery } from './list-orders.query';

@ApiTags('orders')
@Controller('api/orders')
export class ListOrdersController {
  constructor(@Inject(ListOrders) private readonly listOrders: ListOrders) {}

  @Get()
  @Authenticated()
  list(
    @Query(new ZodValidationPipe(listOrdersQuery)) query: ListOrdersQuery,
    @CurrentUser() user: AuthenticatedUser,
  ) {
    return this.listOrders.page(user.id, query.cursor, query.limit);
  }
}
