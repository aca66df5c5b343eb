import type { RunningGateway } from './support/gateway';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import type { InstrumentationModuleDefinition } from '@opentelemetry/instrumentation';
import * as http from 'node:http';
import { startTracing, stopTracing } from '@platform/observability/tracing';
import type { FakeUpstream } from './support/fake-upstream';

describe('tracing through the gateway', () => {
  let auth: FakeUpstream;
  let gateway: RunningGateway;
  let httpPatch: InstrumentationModuleDefinition | undefined;
  beforeAll(async () => {
    startTracing({ serviceName: 'gateway-test' });
    // Jest hands its modules a fake `module`, so the http instrumentation's require hook never sees
    // `http` load (in a real process it does): patch the real module by hand, for this file only.
    // The undici instrumentation listens on diagnostics channels and needs no such help.
    httpPatch = new HttpInstrumentation()
      .getModuleDefinitions()
      .find((definition) => definition.name === 'http');
    httpPatch?.patch?.(http, process.versions.node);
    // Loaded only after tracing started, as main.ts does, so the instrumentations patch them.
    const { startFakeUpstream } = await import('./support/fake-upstream');
    const { startGateway } = await import('./support/gateway');
    auth = await startFakeUpstream();
    gateway = await startGateway({ AUTH_URL: auth.url });
  });
  afterAll(async () => {
    await gateway.close();
    await auth.close();
    await stopTracing();
    httpPatch?.unpatch?.(http, process.versions.node);
  });

  describe('when a proxied request is served', () => {
    it("then the upstream receives one traceparent, in the trace of the gateway's request", async () => {
      const response = await fetch(`${gateway.baseUrl}/api/auth/me`);
      const traceparent = auth.received.at(-1)?.headers['traceparent'];
      expect(typeof traceparent).toBe('string');
      const [version, traceId, parentId, flags] = String(traceparent).split('-');
      expect(version).toBe('00');
      expect(traceId).toBe(response.headers.get('x-trace-id'));
      expect(parentId).toMatch(/^[0-9a-f]{16}$/);
      expect(flags).toBe('01');
    });
  });
});
