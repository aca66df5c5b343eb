import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';

/**
 * The client's address for login throttling. Behind the gateway (the only way in, in compose) it
 * is the last X-Forwarded-For entry, the one the gateway itself appended; entries before it are
 * whatever the client sent and cannot be trusted. Without the header, the socket's peer.
 */
export function clientAddressOf(request: Request): string {
  const forwarded = request.headers['x-forwarded-for'];
  const header = Array.isArray(forwarded) ? forwarded.join(',') : forwarded;
  const last = header
    ?.split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry.length > 0)
    .pop();
  return last ?? request.socket.remoteAddress ?? 'unknown';
}

export const ClientAddress = createParamDecorator((_data: unknown, context: ExecutionContext) =>
  clientAddressOf(context.switchToHttp().getRequest<Request>()),
);
