import { once } from 'node:events';
import { type IncomingHttpHeaders, type IncomingMessage, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedRequest {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

export type FakeHandler = (request: ReceivedRequest, response: ServerResponse) => void;

/** A real HTTP server on a loopback port that records every request and answers as told. */
export interface FakeUpstream {
  url: string;
  received: ReceivedRequest[];
  answerWith(handler: FakeHandler): void;
  close(): Promise<void>;
}

/** Echoes what it received as JSON, with a header of its own and the hop-by-hop headers a proxy must drop. */
export const echo: FakeHandler = (request, response) => {
  response.writeHead(200, {
    'content-type': 'application/json',
    'x-upstream': 'fake',
    'keep-alive': 'timeout=99',
  });
  response.end(JSON.stringify({ method: request.method, url: request.url, body: request.body }));
};

export async function startFakeUpstream(handler: FakeHandler = echo): Promise<FakeUpstream> {
  let current = handler;
  const received: ReceivedRequest[] = [];
  const server = createServer(async (incoming: IncomingMessage, response: ServerResponse) => {
    const chunks: Buffer[] = [];
    for await (const chunk of incoming) chunks.push(chunk as Buffer);
    const request = {
      method: incoming.method ?? '',
      url: incoming.url ?? '',
      headers: incoming.headers,
      body: Buffer.concat(chunks).toString(),
    };
    received.push(request);
    current(request, response);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    answerWith: (next) => (current = next),
    close: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

/** An upstream that accepts the request and never answers. */
export const hang: FakeHandler = () => undefined;

export const answer =
  (status: number, body: unknown = { status }): FakeHandler =>
  (_request, response) => {
    response.writeHead(status, { 'content-type': 'application/json' });
    response.end(JSON.stringify(body));
  };

/** A request with its target sent byte for byte (fetch and undici would resolve `..` and `.` first). */
export async function rawRequest(
  baseUrl: string,
  target: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; headers: IncomingHttpHeaders; body: string }> {
  const { request } = await import('node:http');
  const { hostname, port } = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const outgoing = request({ host: hostname, port, path: target, headers }, (incoming) => {
      const chunks: Buffer[] = [];
      incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
      incoming.on('end', () =>
        resolve({
          status: incoming.statusCode ?? 0,
          headers: incoming.headers,
          body: Buffer.concat(chunks).toString(),
        }),
      );
    });
    outgoing.on('error', reject);
    outgoing.end();
  });
}
