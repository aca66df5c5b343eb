import { z } from 'zod';

export const defaultPageSize = 20;
export const maxPageSize = 100;

/** The query string of GET /api/notifications; anything else in it is refused. */
export const listNotificationsQuery = z.strictObject({
  limit: z
    .string()
    .regex(/^\d{1,3}$/, 'must be a whole number from 1 to 100')
    .transform(Number)
    .pipe(z.number().int().min(1).max(maxPageSize))
    .default(defaultPageSize)
    // Documented as the number it is read as (the digits rule above is how it is read).
    .meta({
      type: 'integer',
      minimum: 1,
      maximum: maxPageSize,
      description: `Page size; ${defaultPageSize} when left out.`,
      pattern: undefined,
    }),
  cursor: z.string().min(1).max(200).optional(),
});
export type ListNotificationsQuery = z.output<typeof listNotificationsQuery>;
