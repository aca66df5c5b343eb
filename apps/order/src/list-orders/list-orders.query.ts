import { z } from 'zod';

export const listOrdersQuery = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(20),
  /** The `nextCursor` of the previous page, as it was returned. */
  cursor: z.string().min(1).max(200).optional(),
});

export type ListOrdersQuery = z.output<typeof listOrdersQuery>;
