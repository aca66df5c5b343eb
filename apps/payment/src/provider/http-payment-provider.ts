import type { Registry } from 'prom-client';
import { type ResilientHttpClient, TimeoutError, createResilientHttpClient } from '@platform/resilience';
import type { PaymentConfig } from '../config';
import type { ChargeOutcome, Payment } from '../domain/payment';
import { type ProviderAnswer, outcomeOfAnswer, outcomeOfError } from './charge-outcome';
import { type PaymentProvider, RefundNotDoneError } from './payment-provider';

export type ProviderSettings = Pick<
  PaymentConfig,
  | 'PROVIDER_URL'
  | 'PROVIDER_TIMEOUT_MS'
  | 'PROVIDER_MAX_ATTEMPTS'
  | 'PROVIDER_BREAKER_RESET_MS'
  | 'PROVIDER_BREAKER_ERROR_PERCENT'
  | 'PROVIDER_BREAKER_VOLUME_THRESHOLD'
  | 'PROVIDER_BREAKER_WINDOW_MS'
>;

/**
 * The provider over HTTP, through the resilient client: a timeout per attempt, a breaker that
 * fails fast while the provider is down, and retries of connection errors and 5xx. Retrying a
 * POST is safe because each carries the provider's Idempotency-Key. A timed-out charge is not
 * retried: the slow provider would only make the order wait for several timeouts.
 */
export class HttpPaymentProvider implements PaymentProvider {
  private readonly client: ResilientHttpClient;

  constructor(settings: ProviderSettings, registry?: Registry) {
    this.client = createResilientHttpClient({
      baseUrl: settings.PROVIDER_URL,
      name: 'payment-provider',
      timeoutMs: settings.PROVIDER_TIMEOUT_MS,
      retry: {
        maxAttempts: settings.PROVIDER_MAX_ATTEMPTS,
        shouldRetry: (error) => !(error instanceof TimeoutError),
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

  async charge(payment: Payment): Promise<ChargeOutcome> {
    let answer: ProviderAnswer;
    try {
      answer = await this.post('/v1/charges', payment.paymentId, {
        amount: payment.amountCents,
        currency: payment.currency,
        source: payment.paymentMethod,
        description: `order ${payment.orderId}`,
        metadata: { orderId: payment.orderId, paymentId: payment.paymentId },
      });
    } catch (error) {
      return outcomeOfError(error);
    }
    return outcomeOfAnswer(answer);
  }

  async refund(payment: Payment & { chargeId: string }): Promise<{ refundId: string | null }> {
    const answer = await this.post('/v1/refunds', `refund-${payment.paymentId}`, {
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
      `the provider refused the refund of ${payment.chargeId}: ${answer.statusCode} ${code ?? ''}`,
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
