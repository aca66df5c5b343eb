import type { Response } from 'express';
import type { ApiReply } from '../idempotency/idempotent-requests';

/** Writes an endpoint's reply, marked `Idempotent-Replayed: true` (Stripe's header) when it is a replay. */
export function sendReply(response: Response, reply: ApiReply & { replayed: boolean }): void {
  if (reply.replayed) response.setHeader('Idempotent-Replayed', 'true');
  response.status(reply.status).json(reply.body);
}

/** Stripe's list envelope; the simulator returns everything in one page. */
export function listOf<Item>(url: string, data: Item[]) {
  return { object: 'list' as const, url, has_more: false, data };
}
