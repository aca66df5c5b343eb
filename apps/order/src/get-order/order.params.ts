import { z } from 'zod';

/** `{orderId}` of the order paths: the id `POST /api/orders` answered with. Any other answers 404. */
export const orderParams = z.object({
  orderId: z
    .uuid()
    .meta({
      description: 'The orderId of the order, as placed.',
      example: '13af9679-3e2d-4b6a-9f77-4c2f0c9e1d21',
    }),
});
