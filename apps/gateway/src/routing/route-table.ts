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
} as const satisfies Record<string, keyof GatewayConfig>;

export type UpstreamName = keyof typeof upstreamUrlVariables;

/**
 * A public path the gateway forwards, unchanged, to one upstream: `prefix` matches the path itself
 * and everything below it (`/api/auth`, `/api/auth/login`, not `/api/authx`); `path` matches exactly.
 */
export type Route = { prefix: string; upstream: UpstreamName } | { path: string; upstream: UpstreamName };

/** The public API, all of it: nothing outside this table (upstreams' /healthz, /metrics, ...) is reachable through the gateway. */
export const routeTable: readonly Route[] = [
  { prefix: '/api/auth', upstream: 'auth' },
  { path: '/.well-known/jwks.json', upstream: 'auth' },
  { prefix: '/api/orders', upstream: 'order' },
  { prefix: '/api/payments', upstream: 'payment' },
  { prefix: '/api/products', upstream: 'inventory' },
  { prefix: '/api/notifications', upstream: 'notification' },
];

export function upstreamUrlsOf(config: GatewayConfig): Record<UpstreamName, string> {
  return Object.fromEntries(
    Object.entries(upstreamUrlVariables).map(([name, variable]) => [name, String(config[variable])]),
  ) as Record<UpstreamName, string>;
}
