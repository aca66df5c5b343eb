import { request } from 'undici';

/** A charge as the simulator lists it (Stripe's shape, the fields the tests read). */
export interface ProviderCharge {
  id: string;
  amount: number;
  status: 'succeeded' | 'failed';
  refunded: boolean;
  source: string;
  metadata: Record<string, string>;
}

export interface ProviderFaults {
  latencyMs?: number;
  errorRate?: number;
  outage?: boolean;
}

/**
 * The payment provider simulator's test-facing side: its fault knobs and its charge listing, which
 * is the ground truth of what a customer was really charged. Its faults apply to the listing too,
 * so charges are read only while no fault is set.
 */
export class ProviderSimulator {
  constructor(private readonly baseUrl: string) {}

  /** Replaces every fault at once; one left out is off. */
  async setFaults(faults: ProviderFaults): Promise<void> {
    const answer = await request(`${this.baseUrl}/admin/faults`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(faults),
    });
    const text = await answer.body.text();
    if (answer.statusCode !== 200)
      throw new Error(`PUT /admin/faults answered ${answer.statusCode}: ${text}`);
  }

  clearFaults(): Promise<void> {
    return this.setFaults({});
  }

  /** Every charge the provider made for the order, declined ones included, newest first. */
  async chargesOf(orderId: string): Promise<ProviderCharge[]> {
    const answer = await request(
      `${this.baseUrl}/v1/charges?${encodeURIComponent('metadata[orderId]')}=${encodeURIComponent(orderId)}`,
    );
    const text = await answer.body.text();
    if (answer.statusCode !== 200) throw new Error(`GET /v1/charges answered ${answer.statusCode}: ${text}`);
    return (JSON.parse(text) as { data: ProviderCharge[] }).data;
  }
}
