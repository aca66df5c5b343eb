import { once } from 'node:events';
import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import pino from 'pino';
import { logWhenAnswered } from './logging';

/** A server that logs each request with `logWhenAnswered` into `lines`, and answers as `answer` says. */
async function serverLoggingInto(
  lines: Record<string, unknown>[],
  answer: (response: import('node:http').ServerResponse) => void,
): Promise<{ server: Server; url: string }> {
  const logger = pino(
    new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
        done();
      },
    }),
  );
  const server = createServer((request, response) => {
    logWhenAnswered(request, response, () => logger);
    answer(response);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

const eventually = async (condition: () => boolean) => {
  while (!condition()) await new Promise((resolve) => setImmediate(resolve));
};

describe('logWhenAnswered: the request line of a request no Express app serves', () => {
  it('when the response ends below 500, then one info line says method, path, status and time', async () => {
    const lines: Record<string, unknown>[] = [];
    const { server, url } = await serverLoggingInto(lines, (response) => response.end('ok'));
    try {
      await (await fetch(`${url}/api/products/TEA?x=1`, { headers: { 'x-request-id': 'req-1' } })).text();
      await eventually(() => lines.length === 1);
      expect(lines[0]).toMatchObject({
        level: 30,
        req: { id: 'req-1', method: 'GET', url: '/api/products/TEA?x=1' },
        res: { statusCode: 200 },
        responseTime: expect.any(Number),
        msg: expect.stringMatching(/^GET \/api\/products\/TEA\?x=1 200 \d+ ms$/),
      });
    } finally {
      server.close();
    }
  });

  it('when the response is a 5xx, then the line is an error naming the status', async () => {
    const lines: Record<string, unknown>[] = [];
    const { server, url } = await serverLoggingInto(lines, (response) => {
      response.statusCode = 503;
      response.end();
    });
    try {
      await fetch(`${url}/api/orders`, { method: 'POST' });
      await eventually(() => lines.length === 1);
      expect(lines[0]).toMatchObject({
        level: 50,
        res: { statusCode: 503 },
        err: { message: 'failed with status code 503' },
        msg: 'POST /api/orders 503 failed',
      });
    } finally {
      server.close();
    }
  });

  it('when the caller goes away before the answer, then the line is an error saying the request was aborted', async () => {
    const lines: Record<string, unknown>[] = [];
    const { server, url } = await serverLoggingInto(lines, () => undefined);
    try {
      const asking = httpRequest(`${url}/api/orders/1`);
      asking.on('error', () => undefined);
      asking.end();
      await once(server, 'request');
      asking.destroy();
      await eventually(() => lines.length === 1);
      expect(lines[0]).toMatchObject({
        level: 50,
        err: { message: 'request aborted' },
        msg: 'GET /api/orders/1 200 failed',
      });
    } finally {
      server.closeAllConnections();
      server.close();
    }
  });
});
