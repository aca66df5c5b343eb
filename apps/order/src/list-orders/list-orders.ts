import { orderViewOf, type OrderView } from '../domain/order-view';
import type { OrdersRepository } from '../orders/orders.repository.port';
import { decodeCursor, encodeCursor } from './order-cursor';

export interface OrdersPage {
  items: OrderView[];
  /** null on the last page. */
  nextCursor: string | null;
}

/** The caller's own orders, newest first, a page at a time. */
export class ListOrders {
  constructor(private readonly orders: OrdersRepository) {}

  /** @throws InvalidCursorError for a cursor this service did not issue */
  async page(userId: string, cursor: string | undefined, limit: number): Promise<OrdersPage> {
    const after = cursor === undefined ? undefined : decodeCursor(cursor);
    // One more than asked tells whether another page follows, so the last page says null.
    const stored = await this.orders.pageOf(userId, after, limit + 1);
    const page = stored.slice(0, limit);
    const last = page.at(-1);
    return {
      items: page.map(({ order, saga }) => orderViewOf(order, saga)),
      nextCursor:
        stored.length > limit && last
          ? encodeCursor({ createdAt: last.order.createdAt, orderId: last.order.orderId })
          : null,
    };
  }
}
