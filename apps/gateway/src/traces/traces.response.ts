import { z } from 'zod';

/** `GET /api/traces/{traceId}`: the trace's spans by start time (`TraceSpan`). */
export const traceResponse = z.object({
  traceId: z.string().regex(/^[0-9a-f]{32}$/),
  spans: z.array(
    z.object({
      spanId: z.string(),
      parentSpanId: z.string().nullable(),
      service: z.string(),
      name: z.string(),
      kind: z.enum(['internal', 'server', 'client', 'producer', 'consumer']),
      startMicros: z.number(),
      durationMicros: z.number(),
      error: z.boolean(),
    }),
  ),
});
