import { once } from 'node:events';
import { connect, createServer, type Socket } from 'node:net';

/**
 * A TCP proxy placed between a service and one of its dependencies, to inject faults for real:
 * `cut()` closes every connection and refuses new ones (the dependency "stopped"), `restore()`
 * accepts again, and `latencyMs` delays each chunk in both directions (a slow dependency).
 */
export interface TcpProxy {
  port: number;
  url(scheme: string): string;
  cut(): void;
  restore(): void;
  setLatency(ms: number): void;
  close(): Promise<void>;
}

export async function startTcpProxy(
  target: { host: string; port: number },
  options: { latencyMs?: number } = {},
): Promise<TcpProxy> {
  let latencyMs = options.latencyMs ?? 0;
  let refusing = false;
  const sockets = new Set<Socket>();
  const delayed = (write: () => void) => (latencyMs > 0 ? setTimeout(write, latencyMs) : write());

  const server = createServer((client) => {
    if (refusing) {
      client.destroy();
      return;
    }
    const upstream = connect(target.port, target.host);
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
      socket.on('error', () => undefined);
    }
    client.on('data', (chunk) => delayed(() => upstream.writable && upstream.write(chunk)));
    upstream.on('data', (chunk) => delayed(() => client.writable && client.write(chunk)));
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };

  return {
    port,
    url: (scheme) => `${scheme}://127.0.0.1:${port}`,
    cut() {
      refusing = true;
      for (const socket of sockets) socket.destroy();
    },
    restore() {
      refusing = false;
    },
    setLatency(ms) {
      latencyMs = ms;
    },
    close() {
      for (const socket of sockets) socket.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
