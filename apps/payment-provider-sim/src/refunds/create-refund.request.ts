import { z } from 'zod';
import { metadata } from '../charges/create-charge.request';

/** A full refund of a charge: partial refunds are beyond what the platform needs. */
export const createRefundRequest = z.strictObject({
  charge: z.string().min(1),
  metadata: metadata.optional(),
});

export type CreateRefundRequest = z.output<typeof createRefundRequest>;
