import { baseUrlsOf } from '@platform/resilience';
import { type DynamicModule, Module } from '@nestjs/common';
import type { Registry } from 'prom-client';
import { METRICS_REGISTRY, ObservabilityModule, type ReadinessCheck } from '@platform/observability';
import { type Closable, ConnectionsModule } from '@platform/persistence';
import type { GatewayConfig } from './config';
import { AccessTokenVerifier } from '@platform/auth';
import { AdminAuditController } from './admin-audit/admin-audit.controller';
import { ADMIN_AUDIT_LOG, type AdminAuditLog } from './admin-audit/admin-audit-log';
import { AdminAuditRecorder } from './admin-audit/admin-audit.recorder';
import { InFlightLimit } from './load-shedding/in-flight-limit';
import { callerIdentity } from './rate-limit/caller-identity';
import { RateLimitGate } from './rate-limit/rate-limit.gate';
import type { RateLimiter } from './rate-limit/rate-limiter';
import { reportCircuitStates } from './routing/circuit-state.reporter';
import { ApiDocsController } from './api-docs/api-docs.controller';
import { PublicApiDocument } from './api-docs/public-api-document';
import { RouteForwarder } from './routing/route-forwarder';
import { routeTable, upstreamUrlsOf } from './routing/route-table';
import { Upstreams } from './routing/upstreams';
import type { TraceSource } from './traces/trace-source';
import { TRACE_SOURCE } from './traces/trace-source.token';
import { TracesController } from './traces/traces.controller';

/** What createApp opened for the gateway: the module only wires it. */
export interface GatewayClients {
  upstreams: Upstreams;
  rateLimiter: RateLimiter;
  /** Verifies access tokens: for the per-user rate limit, and on the routes that require a role. */
  accessTokens: Pick<AccessTokenVerifier, 'verify'>;
  readinessChecks: ReadinessCheck[];
  closables: Closable[];
  /** Where the storefront's trace view reads traces; null where none is kept or queryable. */
  traces: TraceSource | null;
  /** Where admin actions are recorded (admin-audit/). */
  adminAudit: AdminAuditLog;
}

const rateLimitWindowSeconds = 60;

/** The upstreams whose own OpenAPI documents make up the public one (with the gateway's own): every routed one. */
const documentedUpstreams = new Set<string>(routeTable.map((route) => route.upstream));

@Module({})
export class GatewayModule {
  static forRoot(config: GatewayConfig, clients: GatewayClients): DynamicModule {
    const policies = {
      anonymous: {
        name: 'anonymous',
        quota: config.RATE_LIMIT_ANONYMOUS_PER_MINUTE,
        windowSeconds: rateLimitWindowSeconds,
      },
      user: { name: 'user', quota: config.RATE_LIMIT_USER_PER_MINUTE, windowSeconds: rateLimitWindowSeconds },
    };
    return {
      module: GatewayModule,
      imports: [
        ObservabilityModule.forRoot({
          serviceName: 'gateway',
          logLevel: config.LOG_LEVEL,
          logFormat: config.LOG_FORMAT,
          readinessChecks: clients.readinessChecks,
          operationsPort: { port: config.OPS_PORT, host: config.HOST },
        }),
        ConnectionsModule.forRoot(clients.closables),
      ],
      controllers: [ApiDocsController, TracesController, AdminAuditController],
      providers: [
        {
          provide: PublicApiDocument,
          useValue: new PublicApiDocument(
            Object.entries(upstreamUrlsOf(config))
              .filter(([name]) => documentedUpstreams.has(name))
              .map(([name, urls]) => ({ name, baseUrl: baseUrlsOf(urls)[0] ?? urls })),
            routeTable,
          ),
        },
        { provide: Upstreams, useValue: clients.upstreams },
        { provide: AccessTokenVerifier, useValue: clients.accessTokens },
        { provide: TRACE_SOURCE, useValue: clients.traces },
        {
          provide: RateLimitGate,
          useFactory: (registry: Registry) =>
            new RateLimitGate(
              clients.rateLimiter,
              callerIdentity((token) => clients.accessTokens.verify(token)),
              policies,
              registry,
            ),
          inject: [METRICS_REGISTRY],
        },
        {
          provide: InFlightLimit,
          useFactory: (registry: Registry) => new InFlightLimit(config.GATEWAY_MAX_IN_FLIGHT, registry),
          inject: [METRICS_REGISTRY],
        },
        {
          provide: 'CIRCUIT_STATE_REPORTING',
          useFactory: (registry: Registry) => reportCircuitStates(clients.upstreams, registry),
          inject: [METRICS_REGISTRY],
        },
        RouteForwarder,
        { provide: ADMIN_AUDIT_LOG, useValue: clients.adminAudit },
        AdminAuditRecorder,
      ],
    };
  }
}
