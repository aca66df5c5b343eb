import type { Registry } from 'prom-client';
import { type ResilientHttpClient, createResilientHttpClient } from '@platform/resilience';
import type { PaymentConfig } from '../config';
import type { Payment } from '../domain/payment';
import {
  type ChargeAttempt,
  type ProviderAnswer,
  attemptOfAnswer,
  attemptOfError,
  neverReachedProvider,
} from './charge-outcome';
import { type ChargeablePayment, type PaymentProvider, RefundNotDoneError } from './payment-provider';

export type ProviderSettings = Pick<
  PaymentConfig,
  | 'PROVIDER_URL'
  | 'PROVIDER_TIMEOUT_MS'
  | 'PROVIDER_MAX_ATTEMPTS'
  | 'PROVIDER_RETRY_MAX_DELAY_MS'
  | 'PROVIDER_BREAKER_RESET_MS'
  | 'PROVIDER_BREAKER_ERROR_PERCENT'
  | 'PROVIDER_BREAKER_VOLUME_THRESHOLD'
  | 'PROVIDER_BREAKER_WINDOW_MS'
>;

/**
 * The resilient client hands a 5xx to `shouldRetry` as an error carrying the response; only the
 * answer's status matters here.
 */
const isServerErrorAnswer = (error: unknown) =>
  ((error as { response?: { statusCode?: number } } | undefined)?.response?.statusCode ?? 0) >= 500;

/**
 * The provider over HTTP, through the resilient client: a timeout per attempt, a breaker that
 * opens on timeouts, 5xx and connection errors (a declined card is an answer, not a failure) and
 * then refuses at once, and retries. Only failures that certainly charged nothing are retried (a
 * refused connection, a 5xx, both before the provider did anything): then the last failure speaks
 * for every attempt. A call that may have charged (a timeout) ends at once as in doubt; the
 * reconciler asks again later with the same Idempotency-Key.
 */
export class HttpPaymentProvider implements PaymentProvider {
  readonly client: ResilientHttpClient;

  constructor(settings: ProviderSettings, registry?: Registry) {
    this.client = createResilientHttpClient({
      baseUrl: settings.PROVIDER_URL,
      name: 'payment-provider',
      timeoutMs: settings.PROVIDER_TIMEOUT_MS,
      retry: {
        maxAttempts: settings.PROVIDER_MAX_ATTEMPTS,
        maxDelayMs: settings.PROVIDER_RETRY_MAX_DELAY_MS,
        shouldRetry: (error) => isServerErrorAnswer(error) || neverReachedProvider(error),
      },
      breaker: {
        resetMs: settings.PROVIDER_BREAKER_RESET_MS,
        errorThresholdPercent: settings.PROVIDER_BREAKER_ERROR_PERCENT,
        volumeThreshold: settings.PROVIDER_BREAKER_VOLUME_THRESHOLD,
        windowMs: settings.PROVIDER_BREAKER_WINDOW_MS,
      },
      ...(registry && { registry }),
    });
  }

  async charge(payment: ChargeablePayment): Promise<ChargeAttempt> {
    let answer: ProviderAnswer;
    try {
      // The same parameters at every call: the provider refuses a key reused with other ones.
      answer = await this.post('/v1/charges', payment.paymentId, {
        amount: payment.amountCents,
        currency: payment.currency,
        source: payment.paymentMethod,
        description: `order ${payment.orderId}`,
        metadata: { orderId: payment.orderId, paymentId: payment.paymentId },
      });
    } catch (error) {
      return attemptOfError(error);
    }
    return attemptOfAnswer(answer);
  }

  async refund(payment: Payment & { chargeId: string }): Promise<{ refundId: string | null }> {
    // Per payment and charge: a charge made after its payment was decided otherwise gets its own refund.
    const answer = await this.post('/v1/refunds', `refund-${payment.paymentId}-${payment.chargeId}`, {
      charge: payment.chargeId,
      metadata: { orderId: payment.orderId, paymentId: payment.paymentId },
    });
    const refundId = (answer.body as { id?: unknown } | undefined)?.id;
    if (answer.statusCode >= 200 && answer.statusCode < 300 && typeof refundId === 'string')
      return { refundId };
    const code = (answer.body as { error?: { code?: string } } | undefined)?.error?.code;
    // Refunded before, by a request whose idempotency record the provider no longer has.
    if (code === 'charge_already_refunded') return { refundId: null };
    throw new RefundNotDoneError(
      `the provider refused the refund of ${payment.chargeId}: ${answer.statusCode} ${code ?? ''}`.trim(),
    );
  }

  close(): Promise<void> {
    return this.client.close();
  }

  private async post(path: string, idempotencyKey: string, body: unknown): Promise<ProviderAnswer> {
    const response = await this.client.request({
      method: 'POST',
      path,
      headers: { 'content-type': 'application/json', 'idempotency-key': idempotencyKey },
      body: JSON.stringify(body),
    });
    const text = await response.body.text();
    return { statusCode: response.statusCode, body: parsed(text) };
  }
}

function parsed(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
