import { randomUUID } from 'node:crypto';
import { type Dispatcher, fetch as fetchWith } from 'undici';

export interface Reply {
  status: number;
  headers: Headers;
  body: any; // eslint-disable-line @typescript-eslint/no-explicit-any -- tests read whatever JSON came back
}

export interface OrderBody {
  items: { sku: string; quantity: number }[];
  paymentMethod: string;
  [field: string]: unknown;
}

export function anOrderBody(overrides: Partial<OrderBody> = {}): OrderBody {
  return { items: [{ sku: 'TEA-GREEN', quantity: 2 }], paymentMethod: 'tok_visa', ...overrides };
}

/** One server-sent event as a client parses it. */
export interface ServerSentEvent {
  id?: string;
  event?: string;
  data?: any; // eslint-disable-line @typescript-eslint/no-explicit-any -- the event's JSON
  comment?: string;
}

/**
 * Real HTTP calls to the order service, as one user (its bearer token). Event streams go through
 * their own connection pool (`streams`), which the harness destroys before closing the app: a pool
 * that replaced an aborted stream's connection keeps a spare one open, which the server would wait for.
 */
export class OrderClient {
  constructor(
    private readonly baseUrl: string,
    private readonly streams: Dispatcher,
    private readonly token?: string,
  ) {}

  as(token: string): OrderClient {
    return new OrderClient(this.baseUrl, this.streams, token);
  }

  /** POST /api/orders with a fresh Idempotency-Key unless one is given; `null` sends none. */
  place(body: unknown, key: string | null = randomUUID()): Promise<Reply> {
    return this.call('/api/orders', {
      method: 'POST',
      body: typeof body === 'string' ? body : JSON.stringify(body),
      headers: { 'content-type': 'application/json', ...(key !== null && { 'idempotency-key': key }) },
    });
  }

  order(orderId: string): Promise<Reply> {
    return this.call(`/api/orders/${encodeURIComponent(orderId)}`, { method: 'GET', headers: {} });
  }

  list(query = ''): Promise<Reply> {
    return this.call(`/api/orders${query}`, { method: 'GET', headers: {} });
  }

  /** Opens the order's event stream; `events` fills as they arrive, `ended` resolves when the server closes it. */
  async events(orderId: string, headers: Record<string, string> = {}) {
    const controller = new AbortController();
    const response = await fetchWith(`${this.baseUrl}/api/orders/${encodeURIComponent(orderId)}/events`, {
      headers: { ...this.authorization(), ...headers },
      signal: controller.signal,
      dispatcher: this.streams,
    });
    const events: ServerSentEvent[] = [];
    const ended = (async () => {
      if (!response.body || !response.headers.get('content-type')?.startsWith('text/event-stream')) return;
      const decoder = new TextDecoder();
      let buffer = '';
      try {
        for await (const chunk of response.body) {
          buffer += decoder.decode(chunk, { stream: true });
          let boundary: number;
          while ((boundary = buffer.indexOf('\n\n')) >= 0) {
            events.push(parseEvent(buffer.slice(0, boundary)));
            buffer = buffer.slice(boundary + 2);
          }
        }
      } catch (error) {
        if (!controller.signal.aborted) throw error;
      }
    })();
    return { response, events, ended, close: () => controller.abort() };
  }

  private authorization(): Record<string, string> {
    return this.token ? { authorization: `Bearer ${this.token}` } : {};
  }

  private async call(path: string, init: RequestInit & { headers: Record<string, string> }): Promise<Reply> {
    const response = await fetch(`${this.baseUrl}${path}`, {
      ...init,
      headers: { ...this.authorization(), ...init.headers },
    });
    const text = await response.text();
    return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : undefined };
  }
}

function parseEvent(frame: string): ServerSentEvent {
  const event: ServerSentEvent = {};
  for (const line of frame.split('\n')) {
    if (line.startsWith(':')) event.comment = line.slice(1).trim();
    else if (line.startsWith('id: ')) event.id = line.slice(4);
    else if (line.startsWith('event: ')) event.event = line.slice(7);
    else if (line.startsWith('data: ')) event.data = JSON.parse(line.slice(6));
  }
  return event;
}
