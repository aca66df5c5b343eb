import { once } from 'node:events';
import { type IncomingMessage, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * How the fake answers `POST /v1/charges`:
 * - `approve`, `decline`, `server-error`: at once;
 * - `hang`: never, and nothing is charged (the request is lost on the way);
 * - `slow`: the charge is made at once, but its answer never comes back (as `tok_slow` whose caller
 *   gave up); a repeat with the same key is answered with it at once.
 */
export type ChargeBehaviour = 'approve' | 'decline' | 'server-error' | 'hang' | 'slow';
/** How the fake answers `POST /v1/refunds`. */
export type RefundBehaviour = 'refund' | 'server-error';

export interface ProviderRequest {
  path: string;
  idempotencyKey: string | undefined;
  body: Record<string, unknown>;
  headers: IncomingMessage['headers'];
}

/**
 * A Stripe-like provider in the test's own process: it answers as `behaviour` says, keeps Stripe's
 * idempotency (a repeated key gets the first answer), and records every request it got.
 */
export interface FakeProvider {
  url: string;
  behaviour: ChargeBehaviour;
  refundBehaviour: RefundBehaviour;
  requests: ProviderRequest[];
  /** Requests about the order: its charges (by metadata) and the refunds of its charges. */
  requestsFor(orderId: string): ProviderRequest[];
  /** Charges made (approved), of one order or all. */
  charges(orderId?: string): Array<{ id: string; orderId: string }>;
  refunds(): Array<{ id: string; charge: string }>;
  close(): Promise<void>;
}

interface Answer {
  status: number;
  body: unknown;
}

const declined: Answer = {
  status: 402,
  body: {
    error: {
      type: 'card_error',
      code: 'card_declined',
      decline_code: 'generic_decline',
      message: 'Your card was declined.',
    },
  },
};
const serverError: Answer = { status: 500, body: { error: { type: 'api_error', message: 'boom' } } };

export async function startFakeProvider(behaviour: ChargeBehaviour = 'approve'): Promise<FakeProvider> {
  const answers = new Map<string, Answer>();
  const charges: Array<{ id: string; orderId: string }> = [];
  const refunds: Array<{ id: string; charge: string }> = [];
  const hanging = new Set<ServerResponse>();
  let sequence = 0;

  const charge = (body: Record<string, unknown>): Answer => {
    const orderId = String((body['metadata'] as Record<string, unknown> | undefined)?.['orderId']);
    const made = { id: `ch_${(sequence += 1)}`, orderId };
    charges.push(made);
    return { status: 201, body: { id: made.id, object: 'charge', status: 'succeeded' } };
  };
  /** The answer, and whether to send it. */
  const chargeAnswer = (body: Record<string, unknown>): [Answer | undefined, boolean] => {
    switch (fake.behaviour) {
      case 'approve':
        return [charge(body), true];
      case 'decline':
        return [declined, true];
      case 'server-error':
        return [serverError, true];
      case 'hang':
        return [undefined, false];
      case 'slow':
        return [charge(body), false];
    }
  };
  const refundAnswer = (body: Record<string, unknown>): Answer => {
    if (fake.refundBehaviour === 'server-error') return serverError;
    const refund = { id: `re_${(sequence += 1)}`, charge: String(body['charge']) };
    refunds.push(refund);
    return { status: 201, body: { id: refund.id, object: 'refund', charge: refund.charge } };
  };

  const handle = async (request: IncomingMessage, response: ServerResponse) => {
    let text = '';
    for await (const chunk of request) text += String(chunk);
    const body = (text ? JSON.parse(text) : {}) as Record<string, unknown>;
    const key = request.headers['idempotency-key'] as string | undefined;
    const path = request.url ?? '';
    fake.requests.push({ path, idempotencyKey: key, body, headers: request.headers });
    const scoped = `${path} ${key}`;
    const earlier = key === undefined ? undefined : answers.get(scoped);
    const [answer, send] = earlier
      ? [earlier, true]
      : path === '/v1/refunds'
        ? [refundAnswer(body), true]
        : chargeAnswer(body);
    // Like Stripe and the simulator: a 5xx saves nothing, so the key may be tried again.
    if (answer && key !== undefined && answer.status < 500) answers.set(scoped, answer);
    if (!answer || !send) {
      hanging.add(response);
      return;
    }
    response
      .writeHead(answer.status, { 'content-type': 'application/json' })
      .end(JSON.stringify(answer.body));
  };

  const server = createServer((request, response) => void handle(request, response));
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const chargeIdsOf = (orderId: string) =>
    new Set(charges.filter((made) => made.orderId === orderId).map((made) => made.id));
  const fake: FakeProvider = {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    behaviour,
    refundBehaviour: 'refund',
    requests: [],
    requestsFor: (orderId) =>
      fake.requests.filter(
        (request) =>
          (request.body['metadata'] as { orderId?: string } | undefined)?.orderId === orderId ||
          chargeIdsOf(orderId).has(String(request.body['charge'])),
      ),
    charges: (orderId) => charges.filter((made) => orderId === undefined || made.orderId === orderId),
    refunds: () => [...refunds],
    close: async () => {
      for (const response of hanging) response.destroy();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
  return fake;
}
