import { addProblemResponses, problemTypesOf, type OpenApiResponse } from '@platform/http';
import { listenOnEphemeralPort, type RunningApp } from '@platform/testing';
import { createApp, loadGatewayConfig } from '../src';
import { answer, startFakeUpstream, type FakeUpstream } from './support/fake-upstream';

/* eslint-disable @typescript-eslint/no-explicit-any -- OpenAPI documents, read as plain JSON */

/** Responses as an upstream's ApiContract writes them: a success with its schema, and its own problems. */
function responses(
  success: string,
  problems: Record<number, string[]>,
  schema: unknown = { type: 'object' },
) {
  const all: Record<string, unknown> = {
    [success]: {
      description: 'ok',
      ...(success === '204' ? {} : { content: { 'application/json': { schema } } }),
    },
  };
  addProblemResponses(all, problems);
  return all;
}

/** Auth's document: two operations of the table, one method the table does not route, and internal paths. */
const authDocument = {
  openapi: '3.0.0',
  info: { title: 'auth', version: '1' },
  tags: [{ name: 'auth' }],
  paths: {
    '/api/auth/login': {
      post: {
        tags: ['auth'],
        requestBody: { required: true, content: { 'application/json': { schema: { type: 'object' } } } },
        responses: responses('200', { 400: ['validation-failed'], 401: ['invalid-credentials'] }),
      },
    },
    '/api/auth/me': {
      get: { security: [{ bearer: [] }], responses: responses('200', { 401: ['about:blank'] }) },
      put: { responses: responses('200', {}) },
    },
    '/healthz': { get: { responses: responses('200', {}) } },
    '/internal/reindex': { post: { responses: responses('204', {}) } },
  },
};

/** The simulator's document: its /admin knobs, which the gateway publishes under its own prefix, and its /v1 API, which it does not. */
const providerDocument = {
  openapi: '3.0.0',
  info: { title: 'payment-provider-sim', version: '1' },
  tags: [{ name: 'admin' }],
  paths: {
    '/admin/faults': {
      get: { responses: responses('200', {}) },
      put: {
        requestBody: { required: true, content: { 'application/json': { schema: { type: 'object' } } } },
        responses: responses('200', { 400: ['validation-failed'] }),
      },
      delete: { responses: responses('200', {}) },
    },
    '/v1/charges': { post: { responses: responses('200', {}) } },
  },
};

const unreachable = 'http://127.0.0.1:1';

describe('the public API document', () => {
  let auth: FakeUpstream;
  let provider: FakeUpstream;
  let gateway: RunningApp;
  let document: any;
  beforeAll(async () => {
    auth = await startFakeUpstream(answer(200, authDocument));
    provider = await startFakeUpstream(answer(200, providerDocument));
    gateway = await listenOnEphemeralPort(
      await createApp(
        loadGatewayConfig({
          PROFILE: 'embedded',
          LOG_LEVEL: 'silent',
          OPS_PORT: '0',
          AUTH_URL: auth.url,
          PROVIDER_URL: provider.url,
          ORDER_URL: unreachable,
          PAYMENT_URL: unreachable,
          INVENTORY_URL: unreachable,
          NOTIFICATION_URL: unreachable,
        }),
      ),
    );
    const response = await fetch(`${gateway.baseUrl}/api/openapi.json`);
    expect(response.status).toBe(200);
    document = await response.json();
  });
  afterAll(async () => {
    await gateway.close();
    await Promise.all([auth.close(), provider.close()]);
  });

  const operationsOf = (paths: Record<string, Record<string, unknown>>) =>
    Object.entries(paths).flatMap(([path, item]) =>
      Object.keys(item).map((method) => `${method.toUpperCase()} ${path}`),
    );
  const problemTypes = (operation: any, status: number) =>
    problemTypesOf(operation.responses[String(status)] as OpenApiResponse);

  it('when asked for, then it holds exactly the operations the route table serves, under their public paths, the gateway’s own included', () => {
    expect(document.info.title).toBe('Platform public API');
    expect(operationsOf(document.paths).sort()).toEqual(
      [
        'POST /api/auth/login',
        'GET /api/auth/me',
        'GET /api/admin/payment-provider/faults',
        'PUT /api/admin/payment-provider/faults',
        'DELETE /api/admin/payment-provider/faults',
        'GET /api/traces/{traceId}',
        'GET /api/admin/audit',
      ].sort(),
    );
    expect(document.tags).toEqual(expect.arrayContaining([{ name: 'auth' }, { name: 'admin' }]));
  });

  it('when upstreams cannot be read, then the document names them, and the operations of those it read but found undescribed', () => {
    expect(document['x-unavailable-upstreams']).toEqual(['order', 'payment', 'inventory', 'notification']);
    expect(document['x-undocumented-operations']).toEqual([
      'POST /api/auth/register',
      'POST /api/auth/refresh',
      'POST /api/auth/logout',
      'GET /.well-known/jwks.json',
    ]);
  });

  it('when an operation is forwarded, then it also declares what the gateway answers itself: rate limit and upstream failures', () => {
    const me = document.paths['/api/auth/me'].get;
    expect(problemTypes(me, 401)).toEqual(['about:blank']);
    expect(problemTypes(me, 429)).toEqual(['/problems/rate-limited']);
    expect(Object.keys(me.responses['429'].headers).sort()).toEqual([
      'RateLimit',
      'RateLimit-Policy',
      'Retry-After',
    ]);
    expect(problemTypes(me, 502)).toEqual(['/problems/upstream-failed']);
    expect(problemTypes(me, 503)).toEqual(['/problems/upstream-unavailable']);
    expect(problemTypes(me, 504)).toEqual(['/problems/upstream-timeout']);
  });

  it('when an operation takes a body, then the gateway’s refusals of bodies join the upstream’s own problems', () => {
    const login = document.paths['/api/auth/login'].post;
    expect(problemTypes(login, 400)).toEqual([
      '/problems/validation-failed',
      '/problems/invalid-json',
      '/problems/body-too-deep',
    ]);
    expect(problemTypes(login, 401)).toEqual(['/problems/invalid-credentials']);
    expect(problemTypes(login, 413)).toEqual(['/problems/body-too-large']);
    expect(problemTypes(login, 415)).toEqual([
      '/problems/unsupported-encoding',
      '/problems/unsupported-media-type',
    ]);
  });

  it('when a route requires a role the gateway checks, then its operations declare the bearer scheme, 401 and 403', () => {
    const put = document.paths['/api/admin/payment-provider/faults'].put;
    expect(put.security).toEqual([{ bearer: [] }]);
    expect(problemTypes(put, 401)).toEqual(['about:blank']);
    expect(problemTypes(put, 403)).toEqual(['about:blank']);
    expect(problemTypes(put, 400)).toContain('/problems/validation-failed');
  });

  it('when the gateway answers an operation itself, then it has no upstream failures and no rate limit, but the refusal of unsafe paths', () => {
    const trace = document.paths['/api/traces/{traceId}'].get;
    expect(Object.keys(trace.responses).sort()).toEqual(['200', '400', '401', '404', '503']);
    expect(problemTypes(trace, 400)).toEqual(['/problems/validation-failed', '/problems/invalid-path']);
    expect(trace.parameters).toEqual([
      expect.objectContaining({
        name: 'traceId',
        in: 'path',
        schema: { type: 'string', pattern: '^[0-9a-f]{32}$' },
      }),
    ]);
  });

  it('then every operation has a schema for its success and a problem+json ProblemDetails for each 4xx and 5xx it declares', () => {
    expect(document.components.schemas.ProblemDetails).toMatchObject({ type: 'object' });
    for (const [path, item] of Object.entries<Record<string, any>>(document.paths))
      for (const [method, operation] of Object.entries<any>(item)) {
        const statuses = Object.keys(operation.responses);
        const success = statuses.filter((status) => status.startsWith('2'));
        expect({ path, method, success: success.length }).toEqual({ path, method, success: 1 });
        for (const status of statuses) {
          const content = operation.responses[status].content;
          if (status.startsWith('2')) {
            if (status !== '204')
              expect({ path, method, status, schema: content?.['application/json']?.schema }).toEqual({
                path,
                method,
                status,
                schema: expect.any(Object),
              });
          } else {
            expect({
              path,
              method,
              status,
              problem: content['application/problem+json'].schema.allOf[0],
            }).toEqual({
              path,
              method,
              status,
              problem: { $ref: '#/components/schemas/ProblemDetails' },
            });
            expect(problemTypes(operation, Number(status)).length).toBeGreaterThan(0);
          }
        }
      }
  });
});

describe('the public API document, with no upstream to read', () => {
  it('when none answers, then it names them all and still holds the gateway’s own operations', async () => {
    const lonely = await listenOnEphemeralPort(
      await createApp(
        loadGatewayConfig({
          PROFILE: 'embedded',
          LOG_LEVEL: 'silent',
          OPS_PORT: '0',
          AUTH_URL: unreachable,
          INVENTORY_URL: unreachable,
          NOTIFICATION_URL: unreachable,
          ORDER_URL: unreachable,
          PAYMENT_URL: unreachable,
          PROVIDER_URL: unreachable,
        }),
      ),
    );
    try {
      const document = (await (await fetch(`${lonely.baseUrl}/api/openapi.json`)).json()) as Record<
        string,
        any
      >;
      expect(document['x-unavailable-upstreams']).toEqual([
        'auth',
        'order',
        'payment',
        'inventory',
        'notification',
        'paymentProvider',
      ]);
      expect(Object.keys(document['paths']).sort()).toEqual(['/api/admin/audit', '/api/traces/{traceId}']);
    } finally {
      await lonely.close();
    }
  });
});

describe('the API document’s page', () => {
  let gateway: RunningApp;
  beforeAll(async () => {
    gateway = await listenOnEphemeralPort(
      await createApp(loadGatewayConfig({ PROFILE: 'embedded', LOG_LEVEL: 'silent', OPS_PORT: '0' })),
    );
  });
  afterAll(() => gateway.close());

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
