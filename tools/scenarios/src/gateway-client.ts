/**
 * The public API as a scenario uses it: a real HTTP client (fetch) through the gateway, nothing
 * else. Each answer keeps its trace id (`X-Trace-Id`), which the scenario prints for each step.
 */
import { randomUUID } from 'node:crypto';

export interface Answer<T = unknown> {
  status: number;
  body: T;
  headers: Headers;
  traceId: string;
}

export const adminCredentials = { email: 'admin@platform.local', password: 'platform-admin-password' };
const customerPassword = 'correct horse battery staple';

export interface OrderStatus {
  orderId: string;
  status: 'PENDING' | 'CONFIRMED' | 'CANCELLED';
  failureReason?: string;
}

export interface TraceSpan {
  service: string;
  name: string;
}

export class GatewayClient {
  readonly baseUrl: string;
  private readonly token: string | undefined;

  constructor(baseUrl: string, token?: string) {
    this.baseUrl = baseUrl;
    this.token = token;
  }

  async call<T = unknown>(
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<Answer<T>> {
    const all: Record<string, string> = { accept: 'application/json', ...headers };
    if (this.token) all['authorization'] = `Bearer ${this.token}`;
    if (body !== undefined) all['content-type'] = 'application/json';
    const response = await fetch(`${this.baseUrl}${path}`, {
      method,
      headers: all,
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    return {
      status: response.status,
      body: (text ? JSON.parse(text) : undefined) as T,
      headers: response.headers,
      traceId: response.headers.get('x-trace-id') ?? '',
    };
  }

  /** Signs in; the returned client calls as that user. */
  async signedIn(email: string, password: string): Promise<GatewayClient> {
    const answer = await this.call<{ accessToken: string }>('POST', '/api/auth/login', { email, password });
    if (answer.status !== 200) throw new Error(`login of ${email}: HTTP ${answer.status}`);
    return new GatewayClient(this.baseUrl, answer.body.accessToken);
  }

  /**
   * As an admin: adds a product of its own to the scenario, `<PREFIX>-<random>` with `units` in
   * stock at 1.00, so no other order changes its stock while the scenario watches it.
   */
  async addProduct(prefix: string, name: string, units: number): Promise<Answer<unknown> & { sku: string }> {
    const sku = `${prefix}-${randomUUID().slice(0, 8).toUpperCase()}`;
    const created = await this.call('POST', '/api/products', {
      sku,
      name,
      priceCents: 100,
      initialStock: units,
    });
    return { ...created, sku };
  }

  /** Registers a new customer and signs in as them. */
  async newCustomer(name = 'Scenario'): Promise<GatewayClient> {
    const email = `scenario-${randomUUID()}@example.com`;
    const answer = await this.call('POST', '/api/auth/register', { email, password: customerPassword, name });
    if (answer.status !== 201) throw new Error(`register: HTTP ${answer.status}`);
    return this.signedIn(email, customerPassword);
  }

  placeOrder(
    sku: string,
    quantity: number,
    paymentMethod: string,
    key: string = randomUUID(),
  ): Promise<Answer<OrderStatus>> {
    return this.call<OrderStatus>(
      'POST',
      '/api/orders',
      { items: [{ sku, quantity }], paymentMethod },
      { 'idempotency-key': key },
    );
  }

  /**
   * Follows the order's status stream (SSE) until it is final. A customer may hold only so many
   * streams at once (429 `too-many-streams`): then it waits as `Retry-After` says and asks again.
   */
  async finalStatusOf(orderId: string, timeoutMs = 120_000): Promise<OrderStatus> {
    const signal = AbortSignal.timeout(timeoutMs);
    let response = await this.openStatusStream(orderId, signal);
    while (response.status === 429) {
      await response.body?.cancel();
      const waitSeconds = Number(response.headers.get('retry-after')) || 1;
      await new Promise((resolve) => setTimeout(resolve, waitSeconds * 1000));
      response = await this.openStatusStream(orderId, signal);
    }
    if (!response.ok || !response.body)
      throw new Error(`status stream of ${orderId}: HTTP ${response.status}`);
    let buffered = '';
    for await (const chunk of response.body.pipeThrough(new TextDecoderStream())) {
      buffered += chunk;
      for (const data of buffered.match(/^data: .*$/gm) ?? []) {
        const event = JSON.parse(data.slice(6)) as OrderStatus;
        if (event.status !== 'PENDING') return event;
      }
    }
    throw new Error(`the status stream of ${orderId} ended before a final status`);
  }

  private openStatusStream(orderId: string, signal: AbortSignal): Promise<Response> {
    return fetch(`${this.baseUrl}/api/orders/${orderId}/events`, {
      headers: { accept: 'text/event-stream', authorization: `Bearer ${this.token}` },
      signal,
    });
  }

  /** The spans of a trace, once `complete` says the trace holds what the step waits for. */
  async traceOf(
    traceId: string,
    complete: (spans: TraceSpan[]) => boolean,
    timeoutMs = 30_000,
  ): Promise<TraceSpan[]> {
    const deadline = Date.now() + timeoutMs;
    let last: TraceSpan[] = [];
    while (Date.now() < deadline) {
      const answer = await this.call<{ spans: TraceSpan[] }>('GET', `/api/traces/${traceId}`);
      if (answer.status === 200 && complete((last = answer.body.spans))) return last;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    throw new Error(
      `trace ${traceId} did not get the awaited spans within ${timeoutMs} ms (has ${last.length})`,
    );
  }
}
