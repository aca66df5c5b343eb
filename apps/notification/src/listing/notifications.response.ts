import { z } from 'zod';

/** `GET /api/notifications`: a page of the caller's notifications, newest first. */
export const notificationsPageResponse = z.object({
  items: z.array(
    z.object({
      id: z.uuid(),
      type: z.enum(['WELCOME', 'ORDER_CONFIRMED', 'ORDER_CANCELLED']),
      orderId: z.string().nullable().meta({ description: 'null for a notice about no order (the welcome).' }),
      message: z.string(),
      createdAt: z.iso.datetime(),
    }),
  ),
  nextCursor: z
    .string()
    .nullable()
    .meta({ description: 'Pass it as `cursor` for the next page; null on the last.' }),
});
