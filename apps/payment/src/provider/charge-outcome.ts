import { BulkheadRejectedError, CircuitOpenError, TimeoutError } from '@platform/resilience';
import type { ChargeOutcome } from '../domain/payment';

/** The provider's answer, its body parsed as JSON (undefined when it was not JSON). */
export interface ProviderAnswer {
  statusCode: number;
  body: unknown;
}

type Failure = Extract<ChargeOutcome, { status: 'FAILED' }>;

/**
 * What one call of `POST /v1/charges` tells about the payment:
 * - `answered`: the provider's word on this idempotency key, final whenever it is asked again;
 * - `not-charged`: this call certainly charged nothing (it never reached the provider, or the
 *   provider refused it before doing anything): final only if no earlier call could have charged;
 * - `in-doubt`: the call may have charged (a timeout, a connection lost after sending): only the
 *   provider's answer to the same key, asked again later, decides.
 */
export type ChargeAttempt =
  | { kind: 'answered'; outcome: ChargeOutcome }
  | { kind: 'not-charged'; outcome: Failure }
  | { kind: 'in-doubt'; detail: string };

interface StripeErrorBody {
  type?: string;
  code?: string;
  decline_code?: string;
  param?: string;
  message?: string;
}

/** The contracts allow details of up to 500 characters. */
const detailOf = (text: string) => text.slice(0, 500);

function stripeErrorOf(body: unknown): StripeErrorBody {
  const error = (body as { error?: unknown } | undefined)?.error;
  return typeof error === 'object' && error !== null ? (error as StripeErrorBody) : {};
}

const declineReasons: Record<string, 'INSUFFICIENT_FUNDS' | 'FRAUD_SUSPECTED'> = {
  insufficient_funds: 'INSUFFICIENT_FUNDS',
  fraudulent: 'FRAUD_SUSPECTED',
};

const failed = (reason: Failure['reason'], detail: string): Failure => ({
  status: 'FAILED',
  reason,
  detail: detailOf(detail),
});

/** What an answer of `POST /v1/charges` means. */
export function attemptOfAnswer(answer: ProviderAnswer): ChargeAttempt {
  const { statusCode, body } = answer;
  const error = stripeErrorOf(body);
  const said = error.message ? `: ${error.message}` : '';
  if (statusCode >= 200 && statusCode < 300) {
    const chargeId = (body as { id?: unknown } | undefined)?.id;
    // A success without a charge id cannot be stored; asking again replays it, perhaps readable then.
    if (typeof chargeId !== 'string')
      return { kind: 'in-doubt', detail: `the provider answered ${statusCode} without a charge id` };
    return { kind: 'answered', outcome: { status: 'AUTHORIZED', chargeId } };
  }
  if (statusCode === 402 && error.type === 'card_error')
    return {
      kind: 'answered',
      outcome: {
        status: 'DECLINED',
        reason: declineReasons[error.decline_code ?? ''] ?? 'CARD_DECLINED',
        detail: detailOf(error.message ?? 'the card was declined'),
      },
    };
  // An unknown payment method is the customer's card being refused, not the provider failing.
  if (statusCode === 400 && error.param === 'source')
    return {
      kind: 'answered',
      outcome: {
        status: 'DECLINED',
        reason: 'CARD_DECLINED',
        detail: detailOf(error.message ?? 'unknown payment method'),
      },
    };
  // Another request with this key is running, or was made with other parameters: it decides, not this one.
  if (statusCode === 409 || error.type === 'idempotency_error')
    return { kind: 'in-doubt', detail: detailOf(`the provider answered ${statusCode}${said}`) };
  // Refused before doing anything (an outage, a fault, a rate limit): asking again may go through.
  if (statusCode >= 500 || statusCode === 429)
    return {
      kind: 'not-charged',
      outcome: failed('PROVIDER_ERROR', `the provider answered ${statusCode}${said}`),
    };
  // Any other 4xx refuses the request itself, which asking again would not change.
  return {
    kind: 'answered',
    outcome: failed('PROVIDER_ERROR', `the provider refused the charge with ${statusCode}${said}`),
  };
}

/** Connection errors raised before the request could have left: the provider saw nothing. */
const notSentCodes = new Set([
  'ECONNREFUSED',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'UND_ERR_CONNECT_TIMEOUT',
]);
/** Connection errors that may come after the request was sent: it may have been handled. */
const maybeSentCodes = new Set(['ECONNRESET', 'EPIPE', 'UND_ERR_SOCKET', 'UND_ERR_CLOSED']);

function codeOf(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string') return code;
  return codeOf((error as { cause?: unknown }).cause);
}

/** The error certainly means the request never reached the provider: retrying it is always safe. */
export function neverReachedProvider(error: unknown): boolean {
  const code = codeOf(error);
  return code !== undefined && notSentCodes.has(code);
}

const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

/**
 * What a charge that got no answer means. Anything unrecognised (a bug) is thrown again: the
 * handler then fails and the bus delivers the command again.
 */
export function attemptOfError(error: unknown): ChargeAttempt {
  if (error instanceof TimeoutError) return { kind: 'in-doubt', detail: detailOf(error.message) };
  if (error instanceof CircuitOpenError || error instanceof BulkheadRejectedError)
    return { kind: 'not-charged', outcome: failed('PROVIDER_UNAVAILABLE', error.message) };
  if (neverReachedProvider(error))
    return {
      kind: 'not-charged',
      outcome: failed('PROVIDER_UNAVAILABLE', `the provider could not be reached: ${messageOf(error)}`),
    };
  const code = codeOf(error);
  if (code !== undefined && maybeSentCodes.has(code))
    return { kind: 'in-doubt', detail: detailOf(`the connection was lost: ${messageOf(error)}`) };
  throw error;
}
