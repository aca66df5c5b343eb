import { listenOnEphemeralPort, type RunningApp } from '@platform/testing';
import { type SimulatorRuntime, createApp, loadProviderSimConfig } from '../../src';

export interface Reply {
  status: number;
  headers: Headers;
  body: any; // eslint-disable-line @typescript-eslint/no-explicit-any -- tests read whatever JSON came back
}

/** The simulator on an ephemeral port, as a component test starts it. */
export async function startSimulator(
  env: NodeJS.ProcessEnv = {},
  runtime: Partial<SimulatorRuntime> = {},
): Promise<RunningApp> {
  return listenOnEphemeralPort(
    await createApp(loadProviderSimConfig({ LOG_LEVEL: 'silent', PROFILE: 'embedded', ...env }), runtime),
  );
}

let keys = 0;
/** A fresh Idempotency-Key, as the payment service sends its payment id. */
export const aKey = (): string => `pay-${process.pid}-${++keys}`;

export const aCharge = (overrides: Record<string, unknown> = {}) => ({
  amount: 2599,
  currency: 'eur',
  source: 'tok_visa',
  description: 'order ord-1',
  metadata: { orderId: 'ord-1', paymentId: 'pay-1' },
  ...overrides,
});

/** Real HTTP calls to the simulator. */
export class ProviderClient {
  constructor(private readonly baseUrl: string) {}

  charge(body: unknown, key?: string, signal?: AbortSignal): Promise<Reply> {
    return this.post('/v1/charges', body, key, signal);
  }

  refund(body: unknown, key?: string): Promise<Reply> {
    return this.post('/v1/refunds', body, key);
  }

  get(path: string): Promise<Reply> {
    return this.call(path, { method: 'GET' });
  }

  /** The charges `GET /v1/charges` lists, as JSON. */
  async charges(query = ''): Promise<Reply['body'][]> {
    const reply = await this.get(`/v1/charges${query}`);
    if (reply.status !== 200) throw new Error(`listing charges answered ${reply.status}`);
    return reply.body.data;
  }

  setFaults(settings: unknown): Promise<Reply> {
    return this.call('/admin/faults', {
      method: 'PUT',
      body: JSON.stringify(settings),
      headers: { 'content-type': 'application/json' },
    });
  }

  clearFaults(): Promise<Reply> {
    return this.call('/admin/faults', { method: 'DELETE' });
  }

  post(path: string, body: unknown, key?: string, signal?: AbortSignal): Promise<Reply> {
    return this.call(path, {
      method: 'POST',
      body: JSON.stringify(body),
      headers: {
        'content-type': 'application/json',
        ...(key === undefined ? {} : { 'idempotency-key': key }),
      },
      ...(signal ? { signal } : {}),
    });
  }

  private async call(path: string, init: RequestInit): Promise<Reply> {
    const response = await fetch(`${this.baseUrl}${path}`, init);
    const text = await response.text();
    return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : undefined };
  }
}
