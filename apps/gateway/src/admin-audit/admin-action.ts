import { z } from 'zod';

/**
 * How an admin action ended: `succeeded` (2xx/3xx), `refused` (401/403: who tried is kept),
 * `failed` (any other status: invalid, rate-limited, upstream down), `abandoned` (the caller went
 * away before an answer; the action may or may not have taken effect upstream).
 */
export type AdminActionOutcome = 'succeeded' | 'refused' | 'failed' | 'abandoned';

/**
 * One state-changing request to an admin route, as the gateway saw it finish. Nothing secret: the
 * actor is what the verified access token says (never the token), `details` only allow-listed
 * body fields.
 */
export const adminActionSchema = z.strictObject({
  /** When the response finished (ISO 8601). */
  at: z.iso.datetime(),
  /** The caller, from its verified access token (`id` is the token's subject); null without a valid token. */
  actor: z.strictObject({ id: z.string(), roles: z.array(z.string()) }).nullable(),
  method: z.string(),
  /** The public path, without the query: it names the product (its sku) or the knob. */
  path: z.string(),
  /** The response's status; null when the caller went away before one was sent. */
  status: z.number().int().nullable(),
  outcome: z.enum(['succeeded', 'refused', 'failed', 'abandoned']),
  /** The request's trace id (its `X-Trace-Id`), to find the whole request in the traces. */
  traceId: z.string(),
  /** The request body's fields that say what changed (sku, price, quantity, knob values), when it had them. */
  details: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).optional(),
});

export type AdminAction = z.output<typeof adminActionSchema>;

/** A recorded admin action, with the id the audit log gave it (ids order the log). */
export type AdminAuditEntry = AdminAction & { id: string };

export function outcomeOf(status: number | null): AdminActionOutcome {
  if (status === null) return 'abandoned';
  if (status === 401 || status === 403) return 'refused';
  return status < 400 ? 'succeeded' : 'failed';
}
