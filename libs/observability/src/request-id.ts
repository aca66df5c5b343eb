import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

const acceptableRequestId = /^[\w.:@-]{1,128}$/;
const assigned = new WeakMap<IncomingMessage, string>();

/**
 * The request's id: the client's `X-Request-Id` when it is a sane token (echoed back), a new UUID
 * otherwise. Memoized per request so the log line and the response header always agree.
 */
export function requestIdOf(request: IncomingMessage): string {
  let id = assigned.get(request);
  if (!id) {
    const offered = request.headers['x-request-id'];
    id = typeof offered === 'string' && acceptableRequestId.test(offered) ? offered : randomUUID();
    assigned.set(request, id);
  }
  return id;
}
