import { Controller, Get, Module, Post, Body } from '@nestjs/common';
import { ObservabilityModule } from '@platform/observability';
import { listenOnEphemeralPort, type RunningApp } from '@platform/testing';
import { ProblemException, createHttpApp } from '../src';

@Controller('things')
class ThingsController {
  @Get('broken')
  broken(): never {
    throw new Error('connect ECONNREFUSED mongo-internal.cluster.local:27017');
  }

  @Get('conflict')
  conflict(): never {
    throw new ProblemException({
      status: 409,
      type: 'thing-exists',
      detail: 'A thing with this name exists.',
      extensions: { name: 'x' },
      headers: { 'Retry-After': '3' },
    });
  }

  @Post()
  create(@Body() body: unknown) {
    return { received: body };
  }
}

@Module({
  imports: [ObservabilityModule.forRoot({ serviceName: 'test', logLevel: 'silent' })],
  controllers: [ThingsController],
})
class ThingsModule {}

const problemJson = 'application/problem+json; charset=utf-8';

describe('an app made by createHttpApp', () => {
  let server: RunningApp;
  beforeAll(async () => {
    server = await listenOnEphemeralPort(await createHttpApp(ThingsModule));
  });
  afterAll(() => server.close());

  const call = (path: string, init?: RequestInit) => fetch(`${server.baseUrl}${path}`, init);
  const postJson = (body: string) =>
    call('/things', { method: 'POST', headers: { 'content-type': 'application/json' }, body });

  describe('when a route is unknown', () => {
    it('then it answers 404 problem+json naming the path and the trace', async () => {
      const response = await call('/nowhere?secret=1');
      expect(response.status).toBe(404);
      expect(response.headers.get('content-type')).toBe(problemJson);
      const traceId = response.headers.get('x-trace-id');
      expect(await response.json()).toEqual({
        type: 'about:blank',
        title: 'Not Found',
        status: 404,
        detail: expect.any(String),
        instance: '/nowhere',
        traceId,
      });
    });
  });

  describe('when a handler throws an unexpected error', () => {
    it('then it answers 500 without the error text, host names or stack', async () => {
      const response = await call('/things/broken');
      expect(response.status).toBe(500);
      const text = await response.text();
      expect(text).not.toMatch(/ECONNREFUSED|mongo-internal|27017|at .*\(|\.ts:/);
      expect(JSON.parse(text)).toMatchObject({
        status: 500,
        title: 'Internal Server Error',
        detail: 'An unexpected error occurred.',
      });
    });
  });

  describe('when a handler throws a ProblemException', () => {
    it('then its status, type, detail, extensions and headers reach the client', async () => {
      const response = await call('/things/conflict');
      expect(response.status).toBe(409);
      expect(response.headers.get('retry-after')).toBe('3');
      expect(await response.json()).toMatchObject({
        type: '/problems/thing-exists',
        title: 'Conflict',
        detail: 'A thing with this name exists.',
        name: 'x',
      });
    });
  });

  describe('when the body is not valid JSON', () => {
    it('then it answers 400 problem+json without the parser message', async () => {
      const response = await postJson('{"name": ');
      expect(response.status).toBe(400);
      expect(response.headers.get('content-type')).toBe(problemJson);
      expect(await response.text()).not.toMatch(/Unexpected|position|JSON\.parse/);
    });
  });

  describe('when the body is larger than 64 KiB', () => {
    it('then it answers 413 problem+json', async () => {
      const response = await postJson(JSON.stringify({ name: 'x'.repeat(64 * 1024) }));
      expect(response.status).toBe(413);
      expect(await response.json()).toMatchObject({ status: 413, title: 'Payload Too Large' });
    });

    it('then a body just under the limit is accepted', async () => {
      const response = await postJson(JSON.stringify({ name: 'x'.repeat(60 * 1024) }));
      expect(response.status).toBe(201);
    });
  });

  describe('when the body nests deeper than 32 levels', () => {
    it.each([
      ['5,000 arrays', `${'['.repeat(5000)}${']'.repeat(5000)}`],
      ['33 objects', `${'{"a":'.repeat(33)}1${'}'.repeat(33)}`],
    ])(
      '(%s) then it answers 400 problem+json body-too-deep, and the handler never sees it',
      async (_case, body) => {
        const response = await postJson(body);
        expect(response.status).toBe(400);
        expect(response.headers.get('content-type')).toBe(problemJson);
        expect(await response.json()).toMatchObject({ status: 400, type: '/problems/body-too-deep' });
      },
    );

    it('then a body 32 levels deep is accepted', async () => {
      const response = await postJson(`${'{"a":'.repeat(32)}1${'}'.repeat(32)}`);
      expect(response.status).toBe(201);
    });
  });

  describe('security headers', () => {
    it('when anything is answered, then it forbids sniffing and framing', async () => {
      for (const response of [await call('/things/conflict'), await call('/nothing')]) {
        expect(response.headers.get('x-content-type-options')).toBe('nosniff');
        expect(response.headers.get('x-frame-options')).toBe('DENY');
        expect(response.headers.get('content-security-policy')).toBe("frame-ancestors 'none'");
      }
    });

    it('when the request carries credentials, then no cache may keep the answer; without, nothing is said', async () => {
      const personal = await call('/things/conflict', { headers: { authorization: 'Bearer x' } });
      expect(personal.headers.get('cache-control')).toBe('no-store');
      expect((await call('/things/conflict')).headers.get('cache-control')).toBeNull();
    });
  });

  describe('request and trace ids', () => {
    it('when the client sends X-Request-Id, then it is echoed', async () => {
      const response = await call('/healthz', { headers: { 'x-request-id': 'client-chosen-id-42' } });
      expect(response.headers.get('x-request-id')).toBe('client-chosen-id-42');
    });

    it('when the client sends an unsafe X-Request-Id, then a fresh one replaces it', async () => {
      const response = await call('/healthz', { headers: { 'x-request-id': '<script>alert(1)</script>' } });
      expect(response.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    });

    it('when the client sends nothing, then every response still has both ids', async () => {
      const response = await call('/healthz');
      expect(response.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
      expect(response.headers.get('x-trace-id')).toMatch(/^[0-9a-f]{32}$/);
    });
  });
});
