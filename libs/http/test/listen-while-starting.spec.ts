import {
  Controller,
  Get,
  type INestApplication,
  Module,
  type OnApplicationBootstrap,
  Param,
} from '@nestjs/common';
import { createServer } from 'node:net';
import { ObservabilityModule } from '@platform/observability';
import { notProcessedHeader } from '@platform/resilience';
import { freePort } from '@platform/testing';
import { createHttpApp, listenWhileStarting, startingLiveness, startingReadiness } from '../src';

@Controller('orders')
class OrdersController {
  @Get(':id')
  find(@Param('id') id: string) {
    return { id };
  }
}

class FailingBootstrap implements OnApplicationBootstrap {
  onApplicationBootstrap(): void {
    throw new Error('the consumer could not subscribe');
  }
}

/** A module of its own per app: each app has its own metrics registry. */
function moduleOf(kind: 'orders' | 'failing') {
  @Module({
    imports: [
      ObservabilityModule.forRoot({ serviceName: 'orders-test', logLevel: 'silent', readinessChecks: [] }),
    ],
    controllers: kind === 'orders' ? [OrdersController] : [],
    providers: kind === 'failing' ? [FailingBootstrap] : [],
  })
  class TestModule {}
  return TestModule;
}

/** A build the test finishes when it chooses: the app's connections, as slow as the stores are. */
function deferredBuild(kind: 'orders' | 'failing') {
  let finish: (() => void) | undefined;
  const connected = new Promise<void>((resolve) => (finish = resolve));
  return {
    build: async (): Promise<INestApplication> => {
      await connected;
      return createHttpApp(moduleOf(kind));
    },
    finish: () => finish?.(),
  };
}

async function portIsFree(port: number): Promise<boolean> {
  const probe = createServer();
  return new Promise((resolve) => {
    probe.once('error', () => resolve(false));
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(true)));
  });
}

/** Resolves once `url` answers anything: the server listens. */
async function answering(url: string): Promise<void> {
  for (;;) {
    if (
      await fetch(url).then(
        () => true,
        () => false,
      )
    )
      return;
    await new Promise((resolve) => setImmediate(resolve));
  }
}

describe('listenWhileStarting', () => {
  describe('when the app is still connecting to its stores', () => {
    let port: number;
    let baseUrl: string;
    let started: Promise<INestApplication>;
    let finish: () => void;

    beforeAll(async () => {
      port = await freePort();
      baseUrl = `http://127.0.0.1:${port}`;
      const deferred = deferredBuild('orders');
      finish = deferred.finish;
      started = listenWhileStarting({ port, host: '127.0.0.1' }, deferred.build);
      await answering(`${baseUrl}/healthz`);
    });
    afterAll(async () => {
      finish();
      await (await started).close();
    });

    it('then /healthz answers 200 and says it is starting: a liveness probe leaves the process be', async () => {
      const response = await fetch(`${baseUrl}/healthz`);
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual(startingLiveness);
    });

    it('then /readyz answers 503 naming the startup, in the shape of the app’s own readiness', async () => {
      const response = await fetch(`${baseUrl}/READYZ/`);
      expect(response.status).toBe(503);
      expect(await response.json()).toEqual(startingReadiness);
    });

    it.each(['GET', 'POST'])(
      'then any other %s answers 503 service-starting as problem+json, with Retry-After',
      async (method) => {
        const response = await fetch(`${baseUrl}/orders/1?page=2`, { method });
        expect(response.status).toBe(503);
        expect(response.headers.get('content-type')).toBe('application/problem+json');
        expect(response.headers.get('retry-after')).toBe('1');
        // Nothing was done: a caller balancing over instances may send it to another one.
        expect(response.headers.get(notProcessedHeader)).toBe('starting');
        expect(response.headers.get('x-content-type-options')).toBe('nosniff');
        expect(await response.json()).toEqual({
          type: '/problems/service-starting',
          title: 'Service Unavailable',
          status: 503,
          detail: 'The service is starting. Try again in a moment.',
          instance: '/orders/1',
          traceId: expect.stringMatching(/^[0-9a-f]{32}$/),
        });
      },
    );

    it('then, once connected, the app serves on the same port, on connections opened while it started too', async () => {
      finish();
      await started;
      const order = await fetch(`${baseUrl}/orders/7`);
      expect(order.status).toBe(200);
      expect(await order.json()).toEqual({ id: '7' });
      const liveness = await fetch(`${baseUrl}/healthz`);
      expect(liveness.status).toBe(200);
      expect(await liveness.json()).not.toHaveProperty('starting');
      expect((await fetch(`${baseUrl}/readyz`)).status).toBe(200);
    });
  });

  it('when the started app closes, then it closes the server it took over: the port is free', async () => {
    const port = await freePort();
    const deferred = deferredBuild('orders');
    deferred.finish();
    const app = await listenWhileStarting({ port, host: '127.0.0.1' }, deferred.build);
    expect((await fetch(`http://127.0.0.1:${port}/orders/1`)).status).toBe(200);
    await app.close();
    expect(await portIsFree(port)).toBe(true);
  });

  it('when connecting fails, then the error is thrown and the port is free', async () => {
    const port = await freePort();
    const refused = new Error('MongoDB did not answer');
    await expect(
      listenWhileStarting({ port, host: '127.0.0.1' }, () => Promise.reject(refused)),
    ).rejects.toBe(refused);
    expect(await portIsFree(port)).toBe(true);
  });

  it('when the built app fails to start its modules, then the error is thrown and the port is free', async () => {
    const port = await freePort();
    const deferred = deferredBuild('failing');
    deferred.finish();
    await expect(listenWhileStarting({ port, host: '127.0.0.1' }, deferred.build)).rejects.toThrow(
      'the consumer could not subscribe',
    );
    expect(await portIsFree(port)).toBe(true);
  });
});
