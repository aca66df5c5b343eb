import { z } from 'zod';

export const restockRequest = z.strictObject({
  quantity: z.number().int().positive().max(1_000_000),
});

export type RestockRequest = z.output<typeof restockRequest>;
