import {
  BulkheadRejectedError,
  CircuitOpenError,
  TimeoutError,
  isConnectionError,
} from '@platform/resilience';
import type { ChargeOutcome } from '../domain/payment';

/** The provider's answer, its body parsed as JSON (undefined when it was not JSON). */
export interface ProviderAnswer {
  statusCode: number;
  body: unknown;
}

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

/** What an answer of `POST /v1/charges` means: approved, declined (the card), or failed (the provider). */
export function outcomeOfAnswer(answer: ProviderAnswer): ChargeOutcome {
  const { statusCode, body } = answer;
  const chargeId = (body as { id?: unknown } | undefined)?.id;
  if (statusCode >= 200 && statusCode < 300 && typeof chargeId === 'string')
    return { status: 'AUTHORIZED', chargeId };
  const error = stripeErrorOf(body);
  if (statusCode === 402 && error.type === 'card_error')
    return {
      status: 'DECLINED',
      reason: declineReasons[error.decline_code ?? ''] ?? 'CARD_DECLINED',
      detail: detailOf(error.message ?? 'the card was declined'),
    };
  // An unknown payment method is the customer's card being refused, not the provider failing.
  if (statusCode === 400 && error.param === 'source')
    return {
      status: 'DECLINED',
      reason: 'CARD_DECLINED',
      detail: detailOf(error.message ?? 'unknown payment method'),
    };
  return {
    status: 'FAILED',
    reason: 'PROVIDER_ERROR',
    detail: detailOf(`the provider answered ${statusCode}${error.message ? `: ${error.message}` : ''}`),
  };
}

/**
 * What a charge that got no answer means. Anything else (a bug) is thrown again: the handler then
 * fails and the bus delivers the command again.
 */
export function outcomeOfError(error: unknown): ChargeOutcome {
  if (error instanceof TimeoutError)
    return { status: 'FAILED', reason: 'PROVIDER_TIMEOUT', detail: detailOf(error.message) };
  if (error instanceof CircuitOpenError || error instanceof BulkheadRejectedError)
    return { status: 'FAILED', reason: 'PROVIDER_UNAVAILABLE', detail: detailOf(error.message) };
  if (isConnectionError(error))
    return {
      status: 'FAILED',
      reason: 'PROVIDER_UNAVAILABLE',
      detail: detailOf(
        `the provider could not be reached: ${error instanceof Error ? error.message : String(error)}`,
      ),
    };
  throw error;
}
