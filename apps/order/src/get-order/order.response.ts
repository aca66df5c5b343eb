import { z } from 'zod';

export const orderStatus = z.enum(['PENDING', 'CONFIRMED', 'CANCELLED', 'COMPENSATION_FAILED']);

/** One line of an order, priced when it was placed (`OrderLine`). */
export const orderLineResponse = z.object({
  sku: z.string(),
  quantity: z.number().int().min(1),
  unitPriceCents: z.number().int().min(0),
});

/** `GET /api/orders/{orderId}` (`OrderView`). */
export const orderResponse = z
  .object({
    orderId: z.uuid(),
    status: orderStatus,
    items: z.array(orderLineResponse),
    totalCents: z.number().int().min(0),
    currency: z.string().regex(/^[A-Z]{3}$/),
    failureReason: z
      .string()
      .optional()
      .meta({
        description: 'Why a CANCELLED or COMPENSATION_FAILED order was cancelled, e.g. OUT_OF_STOCK.',
      }),
    paymentId: z.string().optional(),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
    history: z
      .array(z.object({ status: orderStatus, at: z.iso.datetime() }))
      .min(1)
      .meta({ description: 'Each status the order moved to, and when; it starts PENDING.' }),
  })
  .meta({
    example: {
      orderId: '13af9679-3e2d-4b6a-9f77-4c2f0c9e1d21',
      status: 'CONFIRMED',
      items: [{ sku: 'KETTLE-1L', quantity: 1, unitPriceCents: 3900 }],
      totalCents: 3900,
      currency: 'EUR',
      paymentId: '5b0e1c8a-7d2f-4f4e-8a3b-2c9d6e1f0a47',
      createdAt: '2026-12-04T21:14:28.101Z',
      updatedAt: '2026-12-04T21:14:29.240Z',
      history: [
        { status: 'PENDING', at: '2026-12-04T21:14:28.101Z' },
        { status: 'CONFIRMED', at: '2026-12-04T21:14:29.240Z' },
      ],
    },
  });
