import { once } from 'node:events';
import { createServer, request as forward, type IncomingMessage, type ServerResponse } from 'node:http';

/**
 * An HTTP pass-through placed between a service and one of its dependencies. Closing it holds
 * every new request until it is opened again, and tells how many it holds: a test can then wait
 * until a call is provably in flight (no guessing with delays) and act while it is.
 */
export interface HttpGate {
  url: string;
  /** Requests received since the gate was made. */
  readonly received: number;
  /** Requests held right now. */
  readonly held: number;
  close(): void;
  open(): void;
  stop(): Promise<void>;
}

/** A gate in front of `target`, listening on `listenOn` (0: any free port). */
export async function startHttpGate(target: string, listenOn = 0): Promise<HttpGate> {
  const upstream = new URL(target);
  let closed = false;
  let received = 0;
  const waiting: (() => void)[] = [];

  const pass = (incoming: IncomingMessage, outgoing: ServerResponse) => {
    const proxied = forward(
      {
        host: upstream.hostname,
        port: upstream.port,
        method: incoming.method,
        path: incoming.url,
        headers: incoming.headers,
      },
      (answer) => {
        outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(outgoing);
      },
    );
    proxied.on('error', () => outgoing.destroy());
    incoming.pipe(proxied);
  };

  const server = createServer((incoming, outgoing) => {
    received += 1;
    if (closed) waiting.push(() => pass(incoming, outgoing));
    else pass(incoming, outgoing);
  });
  server.listen(listenOn, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };

  const release = () => {
    closed = false;
    for (const held of waiting.splice(0)) held();
  };
  return {
    url: `http://127.0.0.1:${port}`,
    get received() {
      return received;
    },
    get held() {
      return waiting.length;
    },
    close() {
      closed = true;
    },
    open: release,
    stop() {
      release();
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
