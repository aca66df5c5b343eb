import { once } from 'node:events';
import { type IncomingMessage, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/** `shed`: 503 with X-Request-Not-Processed, as a server shedding load answers. */
export type Behaviour = 'ok' | 'fail' | 'shed' | 'client-error' | 'hang' | 'reset';

/** A local HTTP server whose behaviour the test switches: healthy, failing, slow forever, or hanging up. */
export interface TestServer {
  url: string;
  /** Every request received, in order. */
  received: Array<{ method: string; headers: IncomingMessage['headers']; body: string }>;
  /** Requests whose connection was closed before they were answered (the client aborted them). */
  abandoned: number;
  /** Answers the next requests as listed, one each; the last one stays. */
  behave(...behaviours: [Behaviour, ...Behaviour[]]): void;
  close(): Promise<void>;
}

export async function startTestServer(initial: Behaviour = 'ok'): Promise<TestServer> {
  let script: Behaviour[] = [initial];
  const state: Pick<TestServer, 'received' | 'abandoned'> = { received: [], abandoned: 0 };
  const server = createServer(async (request: IncomingMessage, response: ServerResponse) => {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    state.received.push({
      method: request.method ?? '',
      headers: request.headers,
      body: Buffer.concat(chunks).toString(),
    });
    response.once('close', () => {
      if (!response.writableFinished) state.abandoned += 1;
    });
    const behaviour = (script.length > 1 ? script.shift() : script[0]) ?? 'ok';
    if (behaviour === 'hang') return;
    if (behaviour === 'reset') return void request.socket.destroy();
    const status = behaviour === 'ok' ? 200 : behaviour === 'fail' || behaviour === 'shed' ? 503 : 404;
    response.writeHead(status, {
      'content-type': 'application/json',
      ...(behaviour === 'shed' ? { 'x-request-not-processed': 'overloaded', 'retry-after': '1' } : {}),
    });
    response.end(JSON.stringify({ status }));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return Object.assign(state, {
    url: `http://127.0.0.1:${port}`,
    behave: (...behaviours: Behaviour[]) => (script = behaviours),
    close: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  });
}
