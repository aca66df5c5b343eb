import { once } from 'node:events';
import { type IncomingMessage, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/** How the fake answers `POST /v1/charges`. */
export type ChargeBehaviour = 'approve' | 'decline' | 'server-error' | 'hang';

export interface ProviderRequest {
  path: string;
  idempotencyKey: string | undefined;
  body: Record<string, unknown>;
}

/**
 * A Stripe-like provider in the test's own process: it answers charges as `behaviour` says, keeps
 * Stripe's idempotency (a repeated key gets the first answer), and records every request it got.
 */
export interface FakeProvider {
  url: string;
  behaviour: ChargeBehaviour;
  requests: ProviderRequest[];
  /** Charges it made (distinct idempotency keys that were approved). */
  charges(orderId?: string): Array<{ id: string; orderId: string }>;
  refunds(): Array<{ id: string; charge: string }>;
  close(): Promise<void>;
}

export async function startFakeProvider(behaviour: ChargeBehaviour = 'approve'): Promise<FakeProvider> {
  const answers = new Map<string, { status: number; body: unknown }>();
  const charges: Array<{ id: string; orderId: string }> = [];
  const refunds: Array<{ id: string; charge: string }> = [];
  const hanging = new Set<ServerResponse>();
  let sequence = 0;

  const chargeAnswer = (body: Record<string, unknown>): { status: number; body: unknown } | undefined => {
    const orderId = String((body['metadata'] as Record<string, unknown> | undefined)?.['orderId']);
    switch (fake.behaviour) {
      case 'approve': {
        const charge = { id: `ch_${(sequence += 1)}`, orderId };
        charges.push(charge);
        return { status: 201, body: { id: charge.id, object: 'charge', status: 'succeeded' } };
      }
      case 'decline':
        return {
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
      case 'server-error':
        return { status: 500, body: { error: { type: 'api_error', message: 'boom' } } };
      case 'hang':
        return undefined;
    }
  };
  const refundAnswer = (body: Record<string, unknown>) => {
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
    fake.requests.push({ path, idempotencyKey: key, body });
    const scoped = `${path} ${key}`;
    const answer =
      (key !== undefined ? answers.get(scoped) : undefined) ??
      (path === '/v1/refunds' ? refundAnswer(body) : chargeAnswer(body));
    if (!answer) {
      hanging.add(response);
      return;
    }
    if (key !== undefined && answer.status < 500) answers.set(scoped, answer);
    response
      .writeHead(answer.status, { 'content-type': 'application/json' })
      .end(JSON.stringify(answer.body));
  };

  const server = createServer((request, response) => void handle(request, response));
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const fake: FakeProvider = {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    behaviour,
    requests: [],
    charges: (orderId) => charges.filter((charge) => orderId === undefined || charge.orderId === orderId),
    refunds: () => [...refunds],
    close: async () => {
      for (const response of hanging) response.destroy();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
  return fake;
}
