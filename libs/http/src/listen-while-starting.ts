import type { INestApplication } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { currentTraceId, operationsPathOf } from '@platform/observability';
import { notProcessedHeader } from '@platform/resilience';
import type { ProblemDetails } from './problem';

export interface ListenAddress {
  port: number;
  host: string;
}

/**
 * What `/healthz` answers while the app is built: alive (a liveness probe must not restart a
 * process for waiting on its stores), and `starting: true`, so whoever waits for the app itself
 * (a test, a script) can tell the two apart.
 */
export const startingLiveness = {
  status: 'ok',
  starting: true,
  info: { process: { status: 'up' } },
  error: {},
  details: { process: { status: 'up' } },
} as const;

const startupDown = {
  startup: { status: 'down', message: 'starting: connecting to its stores and brokers' },
};

/** What `/readyz` answers while the app is built: terminus's shape, as the app's own readiness. */
export const startingReadiness = {
  status: 'error',
  info: {},
  error: startupDown,
  details: startupDown,
} as const;

/**
 * Liveness before readiness: listens on the service's port from the first moment of the process,
 * then builds the app, which connects to its stores and brokers and can wait as long as they are
 * down. Meanwhile `/healthz` answers 200 (`startingLiveness`), `/readyz` 503 (`startingReadiness`),
 * and any other request 503 `service-starting` with `Retry-After: 1` and `notProcessedHeader`
 * (a balancing caller sends it to another instance). Once built, the app takes
 * over the same server: no connection is refused between the two, and the app's `close()` drains
 * and closes the server as its own. If building fails, the server closes and the error is thrown.
 */
export async function listenWhileStarting(
  { port, host }: ListenAddress,
  build: () => Promise<INestApplication>,
): Promise<INestApplication> {
  const server = createServer(answerWhileStarting);
  server.listen(port, host);
  await once(server, 'listening');
  let app: INestApplication | undefined;
  try {
    app = await build();
    const adapter = app.get(HttpAdapterHost).httpAdapter;
    adapter.setHttpServer(server);
    await app.init();
    server.removeListener('request', answerWhileStarting);
    server.on('request', adapter.getInstance<(request: IncomingMessage, response: ServerResponse) => void>());
    return app;
  } catch (error) {
    await app?.close().catch(() => undefined);
    if (server.listening) await closeServer(server);
    throw error;
  }
}

function answerWhileStarting(request: IncomingMessage, response: ServerResponse): void {
  const path = (request.url ?? '/').split('?')[0] ?? '/';
  response.setHeader('X-Content-Type-Options', 'nosniff');
  response.setHeader('Cache-Control', 'no-store');
  const probe = operationsPathOf(path);
  if (probe === '/healthz') return send(response, 200, 'application/json', startingLiveness);
  if (probe === '/readyz') return send(response, 503, 'application/json', startingReadiness);
  response.setHeader('Retry-After', '1');
  // Nothing was done: a caller balancing over several instances sends it to another one.
  response.setHeader(notProcessedHeader, 'starting');
  const problem: ProblemDetails = {
    type: '/problems/service-starting',
    title: 'Service Unavailable',
    status: 503,
    detail: 'The service is starting. Try again in a moment.',
    instance: path,
    traceId: currentTraceId(),
  };
  send(response, 503, 'application/problem+json', problem);
}

function send(response: ServerResponse, status: number, contentType: string, body: unknown): void {
  response.writeHead(status, { 'Content-Type': contentType }).end(JSON.stringify(body));
}

async function closeServer(server: Server): Promise<void> {
  const closed = once(server, 'close');
  server.close();
  server.closeAllConnections();
  await closed;
}
