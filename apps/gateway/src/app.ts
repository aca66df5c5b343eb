import { baseUrlsOf } from '@platform/resilience';
import type { INestApplication } from '@nestjs/common';
import type { IncomingMessage, RequestListener, Server, ServerResponse } from 'node:http';
import { join } from 'node:path';
import { AccessTokenVerifier, jwksUrlOf } from '@platform/auth';
import { createHttpApp, openApiDocumentOf } from '@platform/http';
import { recentTraces, serveInServerSpan } from '@platform/observability/tracing';
import { type Closable, createRedisClient, redisReadiness } from '@platform/persistence';
import type { GatewayConfig } from './config';
import { PublicApiDocument } from './api-docs/public-api-document';
import { type GatewayClients, GatewayModule } from './gateway.module';
import { MemoryAdminAuditLog } from './admin-audit/memory-admin-audit-log';
import { RedisAdminAuditLog } from './admin-audit/redis-admin-audit-log';
import { MemoryRateLimiter } from './rate-limit/memory-rate-limiter';
import { RedisRateLimiter } from './rate-limit/redis-rate-limiter';
import { RouteForwarder } from './routing/route-forwarder';
import { createUpstreams } from './routing/upstreams';
import { storefrontMiddleware } from './storefront/storefront-files';
import { InProcessTraceSource, JaegerTraceSource, type TraceSource } from './traces/trace-source';

/** The gateway, as main.ts, the embedded runner and the tests start it. */
export async function createApp(config: GatewayConfig): Promise<INestApplication> {
  // Bodies are read by the proxy once a request is admitted (rate limit, role), not before.
  const app = await createHttpApp(GatewayModule.forRoot(config, openClients(config)), {
    readsBodiesItself: true,
  });
  forwardRoutesFirst(app);
  // The gateway's own operations join the public API document beside the upstreams'.
  app.get(PublicApiDocument).includeOwn(openApiDocumentOf(app, 'gateway'));
  app.use(
    storefrontMiddleware({
      // dist/apps/gateway/src → dist/apps/storefront/src, which the gateway's build builds first.
      directory: config.STOREFRONT_DIR ?? join(__dirname, '..', '..', 'storefront', 'src'),
      traceUrl: config.TRACE_VIEW_URL ?? null,
    }),
  );
  return app;
}

/**
 * The route table's requests are answered on the public port before Express sees them
 * (routing/route-forwarder.ts); the rest go on to the Nest app as before. Both in the request's
 * server span, which the gateway starts itself (main.ts: `httpServerSpans: false`). The
 * operations port serves the Nest app alone, with no spans.
 */
function forwardRoutesFirst(app: INestApplication): void {
  const server = app.getHttpServer() as Server;
  const nest = app.getHttpAdapter().getInstance() as RequestListener;
  const listeners = server.listeners('request');
  if (listeners.length !== 1 || listeners[0] !== nest)
    throw new Error('the gateway expects the Nest app to be the only request listener of its server');
  const forwarder = app.get(RouteForwarder);
  server.removeListener('request', nest);
  const take = forwarder.take.bind(forwarder);
  server.on('request', (request: IncomingMessage, response: ServerResponse) =>
    serveInServerSpan(request, response, take, nest),
  );
}

/** Jaeger's query API where the platform exports there; else the traces this process keeps (embedded). */
function traceSourceOf(config: GatewayConfig): TraceSource | null {
  if (config.JAEGER_QUERY_URL) return new JaegerTraceSource(config.JAEGER_QUERY_URL);
  const kept = recentTraces();
  return kept ? new InProcessTraceSource(kept) : null;
}

/** Every client the gateway holds, opened here and closed by ConnectionsModule on shutdown. */
function openClients(config: GatewayConfig): GatewayClients {
  const upstreams = createUpstreams(config);
  const verifier = new AccessTokenVerifier({
    issuer: config.AUTH_ISSUER,
    audience: config.AUTH_AUDIENCE,
    jwks: { url: jwksUrlOf(baseUrlsOf(config.AUTH_URL)[0] ?? config.AUTH_URL) },
  });
  const clients = { upstreams, accessTokens: verifier, traces: traceSourceOf(config) };
  if (config.PROFILE === 'embedded' || !config.REDIS_URL) {
    const limiter = new MemoryRateLimiter();
    const closables: Closable[] = [
      upstreams,
      { name: 'memory-rate-limiter', close: async () => limiter.close() },
    ];
    return {
      ...clients,
      rateLimiter: limiter,
      adminAudit: new MemoryAdminAuditLog(),
      readinessChecks: [],
      closables,
    };
  }
  const redis = createRedisClient(config.REDIS_URL, 'gateway');
  // Connection errors show as /readyz naming redis and as the rate limiter's fail-open log line;
  // without a listener ioredis would print every failed reconnect.
  redis.on('error', () => undefined);
  // QUIT lets pending replies arrive; while disconnected it would wait for a reconnection, so stop instead.
  const closeRedis: Closable = {
    name: 'redis',
    close: async () =>
      redis.status === 'ready' ? redis.quit().catch(() => redis.disconnect()) : redis.disconnect(),
  };
  return {
    ...clients,
    rateLimiter: new RedisRateLimiter(redis),
    adminAudit: new RedisAdminAuditLog(redis),
    readinessChecks: [redisReadiness(redis)],
    closables: [upstreams, closeRedis],
  };
}
