import { isDeepStrictEqual } from 'node:util';
import { StripeError } from '../http-edge/stripe-error';

/** What an endpoint answered: replayed as is (status and body) for a repeated key. */
export interface ApiReply {
  status: number;
  body: unknown;
}

interface FirstRequest {
  params: unknown;
  reply: Promise<ApiReply>;
}

const maxKeyLength = 255;

/**
 * Stripe's idempotency layer: the first request with a key runs; a repeat with the same parameters
 * gets the first reply again (waiting for it while it is still running, so 20 parallel copies
 * make one charge); a repeat with other parameters is refused with `idempotency_error`. Keys are
 * scoped per endpoint, so a payment id may key both its charge and its refund. The outcome is
 * saved once the endpoint began, refusals (a declined card) included; a StripeError thrown before
 * (bad parameters, an injected fault) saves nothing, so the caller may retry. Kept in memory for
 * the life of the process, like every record of the simulator.
 */
export class IdempotentRequests {
  private readonly first = new Map<string, FirstRequest>();

  async run(
    endpoint: string,
    key: string | undefined,
    params: unknown,
    execute: () => Promise<ApiReply>,
  ): Promise<ApiReply & { replayed: boolean }> {
    if (key === undefined) return { ...(await savedReplyOf(execute)), replayed: false };
    if (key.length === 0 || key.length > maxKeyLength)
      throw StripeError.invalidRequest(
        400,
        'idempotency_key_invalid',
        undefined,
        `Idempotency-Key must be 1 to ${maxKeyLength} characters long.`,
      );
    const scopedKey = `${endpoint} ${key}`;
    const earlier = this.first.get(scopedKey);
    if (earlier) {
      if (!isDeepStrictEqual(earlier.params, params))
        throw new StripeError(400, {
          type: 'idempotency_error',
          message: `Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '${key}' if you meant to execute a different request.`,
        });
      return { ...(await earlier.reply), replayed: true };
    }
    const reply = savedReplyOf(execute);
    this.first.set(scopedKey, { params, reply });
    // A bug (not a StripeError) saves nothing: the key is free again for a retry.
    reply.catch(() => this.first.delete(scopedKey));
    return { ...(await reply), replayed: false };
  }
}

async function savedReplyOf(execute: () => Promise<ApiReply>): Promise<ApiReply> {
  try {
    return await execute();
  } catch (error) {
    if (error instanceof StripeError) return { status: error.status, body: { error: error.body } };
    throw error;
  }
}
