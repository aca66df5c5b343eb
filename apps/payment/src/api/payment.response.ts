import { z } from 'zod';

/** `GET /api/payments?orderId=`: an order's payment. A VOIDED one is no payment (404), so it never shows. */
export const paymentResponse = z
  .object({
    paymentId: z.uuid(),
    orderId: z.string(),
    status: z
      .enum(['PENDING', 'AUTHORIZED', 'DECLINED', 'FAILED', 'REFUNDED'])
      .meta({ description: "PENDING while the provider's answer is not known." }),
    amountCents: z.number().int().min(0),
    currency: z.string().regex(/^[A-Z]{3}$/),
    createdAt: z.iso.datetime(),
  })
  .meta({
    example: {
      paymentId: '5b0e1c8a-7d2f-4f4e-8a3b-2c9d6e1f0a47',
      orderId: '13af9679-3e2d-4b6a-9f77-4c2f0c9e1d21',
      status: 'AUTHORIZED',
      amountCents: 3900,
      currency: 'EUR',
      createdAt: '2026-12-04T21:14:28.512Z',
    },
  });
