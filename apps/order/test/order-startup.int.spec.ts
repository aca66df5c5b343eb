import { once } from 'node:events';
import { startingLiveness, startingReadiness } from '@platform/http';
import { freePort, startServiceProcess } from '@platform/testing';

/**
 * Liveness before readiness, in the built process: the port answers while the service connects.
 * MongoDB refusing connections holds the start for the client's server selection (3 s); no other
 * server is needed, so every address here is a port nothing listens on.
 */
describe('order starting while MongoDB refuses connections', () => {
  it('when it starts, then /healthz answers 200 (starting), /readyz 503 (startup) and the API 503 while it connects; it exits 1 naming the refusal when the connection fails', async () => {
    const nothing = `127.0.0.1:${await freePort()}`;
    const service = await startServiceProcess(
      'order',
      {
        PROFILE: 'local',
        LOG_LEVEL: 'warn',
        OTEL_EXPORTER_OTLP_ENDPOINT: '',
        MONGO_URL: `mongodb://${nothing}`,
        REDIS_URL: `redis://${nothing}`,
        KAFKA_BROKERS: nothing,
        AUTH_URL: `http://${nothing}`,
        INVENTORY_URL: `http://${nothing}`,
      },
      { until: 'live' },
    );
    try {
      const liveness = await fetch(`${service.baseUrl}/healthz`);
      expect(await liveness.json()).toEqual(startingLiveness);
      const readiness = await fetch(`${service.baseUrl}/readyz`);
      expect(readiness.status).toBe(503);
      expect(await readiness.json()).toEqual(startingReadiness);
      const order = await fetch(`${service.baseUrl}/orders`, { method: 'POST' });
      expect(order.status).toBe(503);
      expect(order.headers.get('retry-after')).toBe('1');
      expect(await order.json()).toMatchObject({ type: '/problems/service-starting' });

      const exitCode = service.child.exitCode ?? ((await once(service.child, 'exit')) as [number | null])[0];
      expect(exitCode).toBe(1);
      expect(service.output()).toContain('ECONNREFUSED');
    } finally {
      await service.stop('SIGKILL');
    }
    // A process start and the 3 s selection: about 5 s here, far longer on a busy machine (a CI
    // run with one core kept busy exceeded jest's default 5 s).
  }, 60_000);
});
