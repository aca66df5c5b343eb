import { Controller, Get, Module, Param } from '@nestjs/common';
import { ObservabilityModule, type ReadinessCheck } from '@platform/observability';
import { listenOnEphemeralPort, type RunningApp } from '@platform/testing';
import { createHttpApp } from '../src';

@Controller('orders')
class OrdersController {
  @Get(':id')
  find(@Param('id') id: string) {
    return { id };
  }
}

function appWith(readinessChecks: ReadinessCheck[]) {
  @Module({
    imports: [
      ObservabilityModule.forRoot({ serviceName: 'orders-test', logLevel: 'silent', readinessChecks }),
    ],
    controllers: [OrdersController],
  })
  class TestModule {}
  return createHttpApp(TestModule);
}

const answering = (name: string): ReadinessCheck => ({ name, check: async () => undefined });
const failing = (name: string): ReadinessCheck => ({
  name,
  check: async () => {
    throw new Error('connection refused');
  },
});

describe('observability endpoints', () => {
  describe('when every dependency answers', () => {
    let server: RunningApp;
    beforeAll(async () => {
      server = await listenOnEphemeralPort(await appWith([answering('mongodb'), answering('redis')]));
    });
    afterAll(() => server.close());

    it('then /healthz and /readyz answer 200', async () => {
      expect((await fetch(`${server.baseUrl}/healthz`)).status).toBe(200);
      const readiness = await fetch(`${server.baseUrl}/readyz`);
      expect(readiness.status).toBe(200);
      expect(await readiness.json()).toMatchObject({
        status: 'ok',
        info: { mongodb: { status: 'up' }, redis: { status: 'up' } },
      });
    });

    it('then /metrics counts requests per route pattern, not per raw path', async () => {
      await fetch(`${server.baseUrl}/orders/1`);
      await fetch(`${server.baseUrl}/orders/2`);
      await fetch(`${server.baseUrl}/no/such/route`);
      const metrics = await (await fetch(`${server.baseUrl}/metrics`)).text();
      expect(metrics).toContain(
        'http_server_requests_total{method="GET",route="/orders/:id",status="200",service="orders-test"} 2',
      );
      expect(metrics).toContain(
        'http_server_requests_total{method="GET",route="unmatched",status="404",service="orders-test"} 1',
      );
      expect(metrics).toMatch(
        /http_server_request_duration_seconds_count\{[^}]*route="\/orders\/:id",status="200"[^}]*\} 2/,
      );
      expect(metrics).toContain('process_cpu_seconds_total');
    });
  });

  describe('when one dependency does not answer', () => {
    let server: RunningApp;
    beforeAll(async () => {
      server = await listenOnEphemeralPort(await appWith([answering('mongodb'), failing('redis')]));
    });
    afterAll(() => server.close());

    it('then /readyz answers 503 naming the failing dependency', async () => {
      const readiness = await fetch(`${server.baseUrl}/readyz`);
      expect(readiness.status).toBe(503);
      expect(await readiness.json()).toMatchObject({
        status: 'error',
        error: { redis: { status: 'down', message: 'connection refused' } },
        info: { mongodb: { status: 'up' } },
      });
    });

    it('then /healthz still answers 200: the process itself is alive', async () => {
      expect((await fetch(`${server.baseUrl}/healthz`)).status).toBe(200);
    });
  });

  describe('when a check that fails liveness fails (a part the process cannot restart by itself)', () => {
    let server: RunningApp;
    beforeAll(async () => {
      server = await listenOnEphemeralPort(
        await appWith([failing('redis'), { ...failing('consumers'), failsLiveness: true }]),
      );
    });
    afterAll(() => server.close());

    it('then /healthz answers 503 naming that check only, and /readyz names both', async () => {
      const liveness = await fetch(`${server.baseUrl}/healthz`);
      expect(liveness.status).toBe(503);
      const live = (await liveness.json()) as { error: object; info: object };
      expect(Object.keys(live.error)).toEqual(['consumers']);
      expect(live.info).toEqual({ process: { status: 'up' } });
      const readiness = await fetch(`${server.baseUrl}/readyz`);
      expect(readiness.status).toBe(503);
      expect(Object.keys(((await readiness.json()) as { error: object }).error).sort()).toEqual([
        'consumers',
        'redis',
      ]);
    });
  });
});
