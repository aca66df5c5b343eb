import { Controller, Get, Inject, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Authenticated, type AuthenticatedUser, CurrentUser, authenticationProblems } from '@platform/auth';
import { ApiContract, ZodValidationPipe } from '@platform/http';
import { ListOrders } from './list-orders';
import { type ListOrdersQuery, listOrdersQuery } from './list-orders.query';
import { ordersPageResponse } from './list-orders.response';

@ApiTags('orders')
@Controller('api/orders')
export class ListOrdersController {
  constructor(@Inject(ListOrders) private readonly listOrders: ListOrders) {}

  @Get()
  @Authenticated()
  @ApiContract({
    summary: "The caller's own orders, newest first, a page at a time",
    query: listOrdersQuery,
    success: { status: 200, description: 'A page of orders.', body: ordersPageResponse },
    problems: [authenticationProblems, { 400: ['validation-failed', 'invalid-cursor'] }],
  })
  list(
    @Query(new ZodValidationPipe(listOrdersQuery)) query: ListOrdersQuery,
    @CurrentUser() user: AuthenticatedUser,
  ) {
    return this.listOrders.page(user.id, query.cursor, query.limit);
  }
}
