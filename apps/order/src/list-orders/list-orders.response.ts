import { z } from 'zod';
import { orderResponse } from '../get-order/order.response';

/** `GET /api/orders` (`OrdersPage`): the caller's orders, newest first. */
export const ordersPageResponse = z.object({
  items: z.array(orderResponse),
  nextCursor: z
    .string()
    .nullable()
    .meta({ description: 'Pass it as `cursor` for the next page; null on the last.' }),
});
