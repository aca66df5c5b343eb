import { z } from 'zod';
import { orderLineResponse } from '../get-order/order.response';

/** The 202 of `POST /api/orders` (`PlacedOrderView`), replayed as it was for a repeated Idempotency-Key. */
export const placedOrderResponse = z.object({
  orderId: z.uuid(),
  status: z.literal('PENDING'),
  items: z.array(orderLineResponse),
  totalCents: z.number().int().min(0),
  currency: z.string().regex(/^[A-Z]{3}$/),
  createdAt: z.iso.datetime(),
});
