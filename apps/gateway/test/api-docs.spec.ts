import { createServer, type Server } from 'node:http';
import { once } from 'node:events';
import { listenOnEphemeralPort, type RunningApp } from '@platform/testing';
import { createApp, loadGatewayConfig } from '../src';

/** A fake auth upstream that publishes an OpenAPI document, including a path the gateway does not route. */
async function fakeAuthWithDocument(): Promise<{ server: Server; url: string }> {
  const document = {
    openapi: '3.0.0',
    info: { title: 'auth', version: '1' },
    tags: [{ name: 'auth' }],
    paths: {
      '/api/auth/login': {
        post: {
          tags: ['auth'],
          requestBody: { content: { 'application/json': { schema: { type: 'object' } } } },
        },
      },
      '/healthz': { get: {} },
      '/internal/reindex': { post: {} },
    },
  };
  const server = createServer((request, response) => {
    if (request.url === '/openapi.json')
      response.setHeader('content-type', 'application/json').end(JSON.stringify(document));
    else response.writeHead(404).end();
  }).listen(0, '127.0.0.1');
  await once(server, 'listening');
  return { server, url: `http://127.0.0.1:${(server.address() as { port: number }).port}` };
}

describe('the public API document and its page', () => {
  let auth: { server: Server; url: string };
  let gateway: RunningApp;
  beforeAll(async () => {
    auth = await fakeAuthWithDocument();
    gateway = await listenOnEphemeralPort(
      await createApp(loadGatewayConfig({ PROFILE: 'embedded', LOG_LEVEL: 'silent', AUTH_URL: auth.url })),
    );
  });
  afterAll(async () => {
    await gateway.close();
    auth.server.close();
  });

  it('when /api/openapi.json is asked for, then it holds the upstreams’ routed paths and nothing internal', async () => {
    const response = await fetch(`${gateway.baseUrl}/api/openapi.json`);
    expect(response.status).toBe(200);
    const document = (await response.json()) as {
      info: { title: string };
      paths: Record<string, unknown>;
      tags: { name: string }[];
    };
    expect(document.info.title).toBe('Platform public API');
    expect(Object.keys(document.paths)).toEqual(['/api/auth/login']);
    expect(document.tags).toEqual([{ name: 'auth' }]);
  });

  it('when an upstream cannot be read, then the document says which and still answers', async () => {
    const lonely = await listenOnEphemeralPort(
      await createApp(
        loadGatewayConfig({
          PROFILE: 'embedded',
          LOG_LEVEL: 'silent',
          AUTH_URL: 'http://127.0.0.1:1',
          INVENTORY_URL: 'http://127.0.0.1:1',
          NOTIFICATION_URL: 'http://127.0.0.1:1',
          ORDER_URL: 'http://127.0.0.1:1',
          PAYMENT_URL: 'http://127.0.0.1:1',
        }),
      ),
    );
    try {
      const document = (await (await fetch(`${lonely.baseUrl}/api/openapi.json`)).json()) as Record<
        string,
        unknown
      >;
      expect(document['x-unavailable-upstreams']).toEqual([
        'auth',
        'order',
        'payment',
        'inventory',
        'notification',
      ]);
      expect(document['paths']).toEqual({});
    } finally {
      await lonely.close();
    }
  });

  it('when /api/docs is opened, then the page and its Swagger UI assets load, and nothing else on disk does', async () => {
    const page = await fetch(`${gateway.baseUrl}/api/docs`);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    expect(await page.text()).toContain('/api/docs/assets/swagger-ui-bundle.js');
    // Bodies are read to the end, so no connection is left busy when the gateway closes.
    const status = async (path: string) => {
      const response = await fetch(`${gateway.baseUrl}${path}`);
      await response.arrayBuffer();
      return response.status;
    };
    expect(await status('/api/docs/assets/swagger-ui-bundle.js')).toBe(200);
    expect(await status('/api/docs/assets/package.json')).toBe(404);
    expect(await status('/api/docs/assets/..%2F..%2Fpackage.json')).toBeGreaterThanOrEqual(400);
  });
});
