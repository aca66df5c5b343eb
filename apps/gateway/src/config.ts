import { z } from 'zod';
import { env, parseConfig } from '@platform/config';

const positiveInteger = (fallback: number) => z.coerce.number().int().positive().default(fallback);
/** The base URL of an upstream, or several: its instances, called in turn (routing/upstream.ts). */
const upstreamUrl = (fallback: string) => env.urls(fallback);

const gatewaySchema = z
  .object({
    PORT: env.port(8080),
    /**
     * /healthz, /readyz and /metrics are served here and not on the public PORT (probes and
     * Prometheus reach this one; clients never see it). 0 picks a free port.
     */
    OPS_PORT: env.port(8081),
    HOST: env.host(),
    PROFILE: env.profile(),
    LOG_LEVEL: env.logLevel(),
    LOG_FORMAT: env.logFormat(),
    OTEL_EXPORTER_OTLP_ENDPOINT: env.optionalUrl(),
    /** Rate-limit counters; not used in the embedded profile (an in-memory limiter there). */
    REDIS_URL: env.optionalUrl(),

    // The base URL(s) of each upstream of the route table (routing/route-table.ts).
    AUTH_URL: upstreamUrl('http://127.0.0.1:3001'),
    ORDER_URL: upstreamUrl('http://127.0.0.1:3002'),
    PAYMENT_URL: upstreamUrl('http://127.0.0.1:3003'),
    INVENTORY_URL: upstreamUrl('http://127.0.0.1:3004'),
    NOTIFICATION_URL: upstreamUrl('http://127.0.0.1:3005'),
    /** The payment provider simulator, for its fault knobs (admins only, /api/admin/payment-provider). */
    PROVIDER_URL: upstreamUrl('http://127.0.0.1:3006'),

    /** Access tokens are verified (for the per-user rate limit only) against `${AUTH_URL}/.well-known/jwks.json`. */
    AUTH_ISSUER: z.string().min(1).default('platform-auth'),
    AUTH_AUDIENCE: z.string().min(1).default('platform'),

    /** How long an upstream may take to send its response headers; longer answers 504. */
    UPSTREAM_TIMEOUT_MS: positiveInteger(5000),
    /** How long an open circuit stays open before one trial call is let through (half-open). */
    BREAKER_RESET_MS: positiveInteger(10_000),
    /** Failure percentage, over the rolling window, above which the circuit opens. */
    BREAKER_ERROR_THRESHOLD_PERCENT: z.coerce.number().min(0).max(100).default(50),
    /** Calls needed in the rolling window before the circuit may open at all. */
    BREAKER_VOLUME_THRESHOLD: positiveInteger(10),
    BREAKER_WINDOW_MS: positiveInteger(10_000),

    /** The built storefront served at `/`; by default the one beside this app in dist/. */
    STOREFRONT_DIR: env.optionalString(),
    /** Jaeger's query API, where /api/traces reads traces (local: 127.0.0.1:16686); unset, the process's own. */
    JAEGER_QUERY_URL: env.optionalUrl(),
    /** Where the storefront links an order's trace, `{traceId}` replaced (compose: the Jaeger UI). */
    TRACE_VIEW_URL: env.optionalString(),

    /**
     * Requests forwarded at once; one more answers 503 `overloaded` with Retry-After before its body
     * is read (load-shedding/in-flight-limit.ts): what waits on slow upstreams stays bounded.
     */
    GATEWAY_MAX_IN_FLIGHT: positiveInteger(1000),

    RATE_LIMIT_ANONYMOUS_PER_MINUTE: positiveInteger(120),
    RATE_LIMIT_USER_PER_MINUTE: positiveInteger(600),
  })
  .superRefine((config, context) => {
    if (config.PROFILE !== 'embedded' && !config.REDIS_URL) {
      context.addIssue({
        code: 'custom',
        path: ['REDIS_URL'],
        message: `required in the ${config.PROFILE} profile (rate-limit counters)`,
      });
    }
  });

export type GatewayConfig = z.output<typeof gatewaySchema>;

export function loadGatewayConfig(variables: NodeJS.ProcessEnv): GatewayConfig {
  return parseConfig(gatewaySchema, variables, 'gateway');
}
