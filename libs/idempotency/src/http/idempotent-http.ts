import type { Request, Response } from 'express';
import { ProblemException } from '@platform/http';
import {
  type IdempotentRequest,
  type StoredResponse,
  requestFingerprint,
  validateIdempotencyKey,
} from '../domain';
import type { IdempotentRequests } from '../application';

export const IDEMPOTENCY_KEY_HEADER = 'Idempotency-Key';
export const IDEMPOTENT_REPLAYED_HEADER = 'Idempotent-Replayed';

export interface IdempotentHttpCall {
  request: Request;
  /** Injected with `@Res({ passthrough: true })`, so the handler's return value is still the body. */
  response: Response;
  /** The authenticated caller: keys are scoped per user. */
  userId: string;
}

/**
 * The `Idempotency-Key` contract of docs/api.md#idempotency-key at the HTTP edge of a Nest handler:
 * 400 without a valid key, 409 while the first request runs, 422 for the same key with another
 * body, and a replay of the first response (status, body, stored headers) marked
 * `Idempotent-Replayed: true`.
 */
export class IdempotentHttp {
  constructor(private readonly requests: IdempotentRequests) {}

  async respond(
    { request, response, userId }: IdempotentHttpCall,
    execute: (request: IdempotentRequest) => Promise<StoredResponse>,
  ): Promise<unknown> {
    const validation = validateIdempotencyKey(request.headers[IDEMPOTENCY_KEY_HEADER.toLowerCase()]);
    if (!validation.valid) throw invalidKey(validation.reason);
    const fingerprint = requestFingerprint({
      method: request.method,
      path: request.originalUrl.split('?')[0] ?? '/',
      body: request.body,
    });
    const outcome = await this.requests.handle({ userId, key: validation.key, fingerprint }, execute);
    switch (outcome.kind) {
      case 'in-flight':
        throw new ProblemException({
          status: 409,
          type: 'idempotency-key-in-use',
          detail: 'A request with this Idempotency-Key is still being processed; retry later.',
          headers: { 'Retry-After': '1' },
        });
      case 'mismatch':
        throw new ProblemException({
          status: 422,
          type: 'idempotency-key-reused',
          detail: 'This Idempotency-Key was already used with a different request.',
        });
      case 'replayed':
        response.set(IDEMPOTENT_REPLAYED_HEADER, 'true');
        return send(response, outcome.response);
      case 'executed':
        return send(response, outcome.response);
    }
  }
}

function send(response: Response, stored: StoredResponse): unknown {
  response.status(stored.status).set(stored.headers);
  return stored.body;
}

function invalidKey(reason: 'missing' | 'malformed'): ProblemException {
  return new ProblemException({
    status: 400,
    type: `idempotency-key-${reason}`,
    detail:
      reason === 'missing'
        ? 'This request requires an Idempotency-Key header.'
        : 'The Idempotency-Key header must be 1 to 255 printable ASCII characters.',
  });
}
