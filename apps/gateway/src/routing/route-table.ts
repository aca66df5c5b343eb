import type { GatewayConfig } from '../config';

/**
 * Every upstream, named by the configuration variable that holds its base URL.
 * A new service: one line here, one URL variable in config.ts, its routes below.
 */
export const upstreamUrlVariables = {
  auth: 'AUTH_URL',
  order: 'ORDER_URL',
  payment: 'PAYMENT_URL',
  inventory: 'INVENTORY_URL',
  notification: 'NOTIFICATION_URL',
  paymentProvider: 'PROVIDER_URL',
} as const satisfies Record<string, keyof GatewayConfig>;

export type UpstreamName = keyof typeof upstreamUrlVariables;

/** The methods the public API uses; HEAD goes with GET (see `allowedMethodsOf`). */
export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE';

/**
 * Public operations of one upstream, or of the gateway itself (its own controllers): each path
 * template, where `{name}` matches one path segment, with the methods it answers. A path that no
 * template matches is not reachable (404); another method on a matching one answers 405. The path
 * goes upstream unchanged, or with the prefix `rewrite.from` replaced by `rewrite.to`.
 */
export interface Route {
  upstream: UpstreamName | 'gateway';
  operations: Readonly<Record<string, readonly HttpMethod[]>>;
  rewrite?: { from: string; to: string };
  /** Only a caller with this role gets through, checked here: for an upstream with no auth of its own. */
  role?: 'admin';
}

/**
 * The public API, all of it, operation by operation: exactly what /api/openapi.json documents.
 * Nothing else (an upstream's /healthz, /metrics, /openapi.json, an operation no table row names)
 * is reachable through the gateway.
 */
export const routeTable: readonly Route[] = [
  {
    upstream: 'auth',
    operations: {
      '/api/auth/register': ['POST'],
      '/api/auth/login': ['POST'],
      '/api/auth/refresh': ['POST'],
      '/api/auth/logout': ['POST'],
      '/api/auth/me': ['GET'],
      '/.well-known/jwks.json': ['GET'],
    },
  },
  {
    upstream: 'order',
    operations: {
      '/api/orders': ['GET', 'POST'],
      '/api/orders/{orderId}': ['GET'],
      '/api/orders/{orderId}/events': ['GET'],
    },
  },
  { upstream: 'payment', operations: { '/api/payments': ['GET'] } },
  {
    upstream: 'inventory',
    operations: {
      '/api/products': ['GET', 'POST'],
      '/api/products/{sku}': ['GET'],
      '/api/products/{sku}/restock': ['POST'],
    },
  },
  { upstream: 'notification', operations: { '/api/notifications': ['GET'] } },
  // The simulator's fault knobs, for the storefront's admin view; the simulator itself checks no one.
  {
    upstream: 'paymentProvider',
    rewrite: { from: '/api/admin/payment-provider', to: '/admin' },
    role: 'admin',
    operations: { '/api/admin/payment-provider/faults': ['GET', 'PUT', 'DELETE'] },
  },
  // Answered by the gateway's own controllers (traces/, admin-audit/).
  { upstream: 'gateway', operations: { '/api/traces/{traceId}': ['GET'], '/api/admin/audit': ['GET'] } },
];

export function upstreamUrlsOf(config: GatewayConfig): Record<UpstreamName, string> {
  return Object.fromEntries(
    Object.entries(upstreamUrlVariables).map(([name, variable]) => [name, String(config[variable])]),
  ) as Record<UpstreamName, string>;
}
