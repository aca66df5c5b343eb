const idempotentMethods = new Set(['GET', 'HEAD', 'OPTIONS', 'PUT', 'DELETE']);

/**
 * Whether a request may be sent twice: the caller's word if given; otherwise the methods RFC 9110
 * §9.2.2 makes idempotent, or any request carrying an Idempotency-Key (the server deduplicates it).
 */
export function isIdempotentRequest(request: {
  method: string;
  headers?: Record<string, string | string[]>;
  idempotent?: boolean;
}): boolean {
  if (request.idempotent !== undefined) return request.idempotent;
  if (idempotentMethods.has(request.method.toUpperCase())) return true;
  return Object.keys(request.headers ?? {}).some((name) => name.toLowerCase() === 'idempotency-key');
}
