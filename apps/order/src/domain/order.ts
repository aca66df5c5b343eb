/** One line of an order, priced when the order was placed. */
export interface OrderLine {
  sku: string;
  quantity: number;
  unitPriceCents: number;
}

/**
 * An order as placed: what the customer asked for and what it cost then. It never changes
 * afterwards; how far the order got is its saga's state, stored beside it.
 */
export interface PlacedOrder {
  orderId: string;
  userId: string;
  items: OrderLine[];
  totalCents: number;
  currency: string;
  paymentMethod: string;
  createdAt: Date;
}

export type OrderStatus = 'PENDING' | 'CONFIRMED' | 'CANCELLED' | 'COMPENSATION_FAILED';

/** After these nothing changes any more: an `/events` stream ends with one of them. */
export const finalStatuses: readonly OrderStatus[] = ['CONFIRMED', 'CANCELLED', 'COMPENSATION_FAILED'];

export function isFinalStatus(status: OrderStatus): boolean {
  return finalStatuses.includes(status);
}
