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

/**
 * A public path the gateway forwards to one upstream: `prefix` matches the path itself and
 * everything below it (`/api/auth`, `/api/auth/login`, not `/api/authx`); `path` matches exactly.
 * The path goes upstream unchanged, or with the prefix replaced by `upstreamPrefix`.
 */
export type Route = ({ prefix: string; upstreamPrefix?: string } | { path: string }) & {
  upstream: UpstreamName;
  /** Only a caller with this role gets through, checked here: for an upstream with no auth of its own. */
  role?: 'admin';
};

/** The public API, all of it: nothing outside this table (upstreams' /healthz, /metrics, ...) is reachable through the gateway. */
export const routeTable: readonly Route[] = [
  { prefix: '/api/auth', upstream: 'auth' },
  { path: '/.well-known/jwks.json', upstream: 'auth' },
  { prefix: '/api/orders', upstream: 'order' },
  { prefix: '/api/payments', upstream: 'payment' },
  { prefix: '/api/products', upstream: 'inventory' },
  { prefix: '/api/notifications', upstream: 'notification' },
  // The simulator's fault knobs, for the storefront's admin view; the simulator itself checks no one.
  {
    prefix: '/api/admin/payment-provider',
    upstream: 'paymentProvider',
    upstreamPrefix: '/admin',
    role: 'admin',
  },
];

export function upstreamUrlsOf(config: GatewayConfig): Record<UpstreamName, string> {
  return Object.fromEntries(
    Object.entries(upstreamUrlVariables).map(([name, variable]) => [name, String(config[variable])]),
  ) as Record<UpstreamName, string>;
}
