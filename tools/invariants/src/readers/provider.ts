import type { ProviderChargeFacts } from '../rules.ts';

/** A charge as the provider simulator lists it (Stripe's shape; apps/payment-provider-sim/src/charges/charge.ts). */
interface ListedCharge {
  id: string;
  amount: number;
  status: string;
  refunded: boolean;
  metadata?: Record<string, string>;
}

/**
 * Every charge the provider made, declined ones included: `GET /v1/charges` answers all of them in
 * one page. The simulator keeps them in memory, so it knows the charges made since it started.
 */
export async function readCharges(providerUrl: string, timeoutMs = 10_000): Promise<ProviderChargeFacts[]> {
  const url = `${providerUrl.replace(/\/$/, '')}/v1/charges`;
  let answer: Response;
  try {
    answer = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
  } catch (error) {
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    throw new Error(`cannot reach the provider at ${url}: ${cause?.code ?? cause?.message ?? String(error)}`);
  }
  const text = await answer.text();
  if (answer.status !== 200) throw new Error(`GET ${url} answered ${answer.status}: ${text.slice(0, 200)}`);
  const { data } = JSON.parse(text) as { data: ListedCharge[] };
  return data.map(({ id, amount, status, refunded, metadata }) => ({
    id,
    orderId: metadata?.['orderId'] ?? null,
    amount,
    status,
    refunded,
  }));
}
