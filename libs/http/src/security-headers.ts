import type { IncomingMessage, ServerResponse } from 'node:http';
import type { NextFunction, Request, Response } from 'express';

/**
 * The headers OWASP asks of an API on every response: no MIME sniffing, no framing. A response to
 * a request that carries credentials is someone's own data, so no cache may keep it either.
 */
export function setSecurityHeaders(request: IncomingMessage, response: ServerResponse): void {
  response.setHeader('X-Content-Type-Options', 'nosniff');
  response.setHeader('X-Frame-Options', 'DENY');
  response.setHeader('Content-Security-Policy', "frame-ancestors 'none'");
  if (request.headers.authorization !== undefined) response.setHeader('Cache-Control', 'no-store');
}

/** `setSecurityHeaders` as Express middleware. */
export function securityHeadersMiddleware(request: Request, response: Response, next: NextFunction): void {
  setSecurityHeaders(request, response);
  next();
}
