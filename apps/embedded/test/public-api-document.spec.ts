import { request } from 'undici';
import { type EmbeddedPlatform, startEmbedded, stopEmbedded } from '@platform/testing';

/* eslint-disable @typescript-eslint/no-explicit-any -- an OpenAPI document, read as plain JSON */

interface Operation {
  responses: Record<string, { content?: Record<string, { schema?: any }> }>;
}

const methods = ['GET', 'PUT', 'POST', 'DELETE', 'PATCH', 'OPTIONS', 'TRACE'];

/**
 * The gateway's /api/openapi.json as the whole platform publishes it: each service's contract
 * (ApiContract) merged with what the gateway answers itself, for exactly the operations it serves.
 */
describe('the public API document of the running platform', () => {
  jest.setTimeout(120_000);
  let platform: EmbeddedPlatform;
  let document: { paths: Record<string, Record<string, Operation>>; [extension: string]: unknown };
  beforeAll(async () => {
    platform = await startEmbedded({ LOG_LEVEL: 'warn' });
    await platform.waitForOutput('the platform is up');
    document = (await (await fetch(`${platform.gateway}/api/openapi.json`)).json()) as typeof document;
  });
  afterAll(async () => {
    await stopEmbedded(platform);
  });

  const operations = () =>
    Object.entries(document.paths).flatMap(([path, item]) =>
      Object.entries(item).map(([method, operation]) => ({ path, method, operation })),
    );

  it('when read, then every service was read and describes every operation the gateway routes to it', () => {
    expect(document['x-unavailable-upstreams']).toBeUndefined();
    expect(document['x-undocumented-operations']).toBeUndefined();
    expect(operations().length).toBeGreaterThanOrEqual(20);
  });

  it('then every operation has a schema for its success, and for each 4xx and 5xx it declares a ProblemDetails naming its problem types', () => {
    for (const { path, method, operation } of operations()) {
      const statuses = Object.keys(operation.responses);
      const [success, ...others] = statuses.filter((status) => status.startsWith('2'));
      expect({ path, method, successes: [success, ...others].length }).toEqual({
        path,
        method,
        successes: 1,
      });
      if (success !== '204') {
        const [content] = Object.values(operation.responses[success ?? '']?.content ?? {});
        expect({ path, method, schema: content?.schema }).toEqual({
          path,
          method,
          schema: expect.any(Object),
        });
      }
      for (const status of statuses.filter((one) => /^[45]/.test(one))) {
        const schema = operation.responses[status]?.content?.['application/problem+json']?.schema;
        expect({ path, method, status, problem: schema?.allOf?.[0] }).toEqual({
          path,
          method,
          status,
          problem: { $ref: '#/components/schemas/ProblemDetails' },
        });
        expect({ path, method, status, types: schema.allOf[1].properties.type.enum.length > 0 }).toEqual({
          path,
          method,
          status,
          types: true,
        });
      }
    }
  });

  it('then every other method on a documented path answers 405 with Allow listing the documented ones', async () => {
    for (const [path, item] of Object.entries(document.paths)) {
      const documented = Object.keys(item).map((method) => method.toUpperCase());
      const allowed = documented.includes('GET') ? [...documented, 'HEAD'] : documented;
      const target = path.replace(/\{[^}]+\}/g, '0123456789abcdef0123456789abcdef');
      for (const method of methods.filter((one) => !documented.includes(one))) {
        const response = await request(`${platform.gateway}${target}`, { method });
        await response.body.dump();
        const allow = String(response.headers['allow'] ?? '')
          .split(', ')
          .sort();
        expect({ method, path, status: response.statusCode, allow }).toEqual({
          method,
          path,
          status: 405,
          allow: [...allowed].sort(),
        });
      }
    }
  });
});
