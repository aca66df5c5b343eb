import { z } from 'zod';
import { openApiSchemaOf } from '@platform/http';
import { orderStatus } from '../get-order/order.response';

/** The JSON `data` of one `status` event (`StatusEvent['data']`). */
const statusEventData = z.object({
  orderId: z.uuid(),
  status: orderStatus,
  failureReason: z.string().optional(),
  at: z.iso.datetime(),
});

/**
 * One event of `GET /api/orders/{orderId}/events`, as server-sent events frame it (`frameOf`): `id`
 * is the index of the status change in the order's history, `data` its JSON.
 */
export const orderStatusEventResponse = z.object({
  id: z.string().regex(/^\d+$/),
  event: z.literal('status'),
  data: z
    .string()
    .meta({
      contentMediaType: 'application/json',
      contentSchema: openApiSchemaOf(statusEventData, 'output'),
    }),
});
