import { z } from 'zod';

/** The faults the simulator injects into every `/v1` call; `PUT /admin/faults` replaces them whole. */
export const faultSettings = z.strictObject({
  /** Added before each call is handled. */
  latencyMs: z.number().int().min(0).max(600_000).default(0),
  /** The share of calls answered 500 (after the latency), from 0 to 1. */
  errorRate: z.number().min(0).max(1).default(0),
  /** Every call answered 503 at once. */
  outage: z.boolean().default(false),
});

export type FaultSettings = z.output<typeof faultSettings>;

export const noFaults: FaultSettings = { latencyMs: 0, errorRate: 0, outage: false };
