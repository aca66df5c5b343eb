import type { IdempotentRequest, MemoryDurableIdempotencyRecords, StoredResponse } from '../src';

/**
 * Stands in for the owning service: each execution creates an order and writes the key's durable
 * record with it in one insert, whose uniqueness on (user, key) decides races.
 */
export class FakeOrderService {
  executions = 0;
  private gate: Promise<void> | undefined;
  private openGate: (() => void) | undefined;
  failWith: Error | undefined;

  constructor(private readonly records: MemoryDurableIdempotencyRecords) {}

  /** Holds every execution until `release()` is called: a request still in flight. */
  hold(): void {
    this.gate = new Promise((resolve) => (this.openGate = resolve));
  }

  release(): void {
    this.openGate?.();
    this.gate = undefined;
  }

  readonly execute = async (request: IdempotentRequest): Promise<StoredResponse> => {
    this.executions += 1;
    const orderId = `order-${this.executions}`;
    await this.gate;
    if (this.failWith) throw this.failWith;
    const response: StoredResponse = {
      status: 202,
      body: { orderId, status: 'PENDING' },
      headers: { Location: `/api/orders/${orderId}` },
    };
    await this.records.insert(request, { fingerprint: request.fingerprint, response });
    return response;
  };
}
