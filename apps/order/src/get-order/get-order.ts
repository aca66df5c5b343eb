import { type AuthenticatedUser, assertOwnerOrAdmin } from '@platform/auth';
import { OrderNotFoundError } from '../domain/errors';
import { orderViewOf, type OrderView } from '../domain/order-view';
import type { OrdersRepository } from '../orders/orders.repository.port';

/** One order as its owner or an admin sees it; anyone else is told it does not exist. */
export class GetOrder {
  constructor(private readonly orders: OrdersRepository) {}

  /**
   * @throws OrderNotFoundError for an unknown order
   * @throws NotFoundException (the same 404) for another user's order
   */
  async execute(orderId: string, user: AuthenticatedUser): Promise<OrderView> {
    const stored = await this.orders.find(orderId);
    if (!stored) throw new OrderNotFoundError(orderId);
    assertOwnerOrAdmin(user, stored.order.userId);
    return orderViewOf(stored.order, stored.saga);
  }
}
