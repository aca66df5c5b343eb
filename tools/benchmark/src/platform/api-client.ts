import { randomUUID } from 'node:crypto';
import type { OrderSnapshot } from '../suites/saga-outcome.ts';

/** The public API calls the benchmark makes itself (set-up and polling), outside the measured load. */
export interface ApiAnswer {
  status: number;
  headers: Headers;
  body: unknown;
}

export async function call(
  baseUrl: string,
  method: 'GET' | 'POST',
  path: string,
  options: { token?: string; body?: unknown; headers?: Record<string, string> } = {},
): Promise<ApiAnswer> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  if (options.token) headers['authorization'] = `Bearer ${options.token}`;
  const response = await fetch(`${baseUrl}${path}`, {
    method,
    headers,
    ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
    signal: AbortSignal.timeout(15_000),
  });
  const text = await response.text();
  return {
    status: response.status,
    headers: response.headers,
    body: text === '' ? undefined : (JSON.parse(text) as unknown),
  };
}

async function expectStatus(
  answer: Promise<ApiAnswer>,
  status: number,
  what: string,
): Promise<Record<string, unknown>> {
  const { status: actual, body } = await answer;
  if (actual !== status)
    throw new Error(`${what}: expected ${status}, got ${actual}: ${JSON.stringify(body).slice(0, 400)}`);
  return body as Record<string, unknown>;
}

const customerPassword = 'benchmark customer password';

/** The local profile's seeded admin (docs/api.md#auth). */
export async function adminToken(gatewayUrl: string): Promise<string> {
  const body = await expectStatus(
    call(gatewayUrl, 'POST', '/api/auth/login', {
      body: { email: 'admin@platform.local', password: 'platform-admin-password' },
    }),
    200,
    'admin login',
  );
  return String(body['accessToken']);
}

/** A new customer, logged in: each phase gets its own, so its order list holds that phase's orders only. */
export async function newCustomerToken(gatewayUrl: string): Promise<string> {
  const email = `bench-${randomUUID()}@example.com`;
  await expectStatus(
    call(gatewayUrl, 'POST', '/api/auth/register', {
      body: { email, password: customerPassword, name: 'Benchmark' },
    }),
    201,
    'register a customer',
  );
  const body = await expectStatus(
    call(gatewayUrl, 'POST', '/api/auth/login', { body: { email, password: customerPassword } }),
    200,
    'customer login',
  );
  return String(body['accessToken']);
}

export async function createProduct(
  gatewayUrl: string,
  token: string,
  sku: string,
  initialStock: number,
): Promise<void> {
  await expectStatus(
    call(gatewayUrl, 'POST', '/api/products', {
      token,
      body: { sku, name: `Benchmark ${sku}`, priceCents: 500, initialStock },
    }),
    201,
    `create product ${sku}`,
  );
}

export async function availableOf(baseUrl: string, sku: string): Promise<number> {
  const body = await expectStatus(call(baseUrl, 'GET', `/api/products/${sku}`), 200, `read product ${sku}`);
  return Number(body['available']);
}

/** Every order of the customer, newest first, a page of 100 at a time. */
export async function allOrdersOf(gatewayUrl: string, token: string): Promise<OrderSnapshot[]> {
  const orders: OrderSnapshot[] = [];
  let cursor: string | null = null;
  do {
    const query: string = cursor === null ? '?limit=100' : `?limit=100&cursor=${encodeURIComponent(cursor)}`;
    const page = await expectStatus(
      call(gatewayUrl, 'GET', `/api/orders${query}`, { token }),
      200,
      'list orders',
    );
    orders.push(...(page['items'] as OrderSnapshot[]));
    cursor = (page['nextCursor'] as string | null) ?? null;
  } while (cursor !== null);
  return orders;
}

export function orderBody(sku: string): {
  items: { sku: string; quantity: number }[];
  paymentMethod: string;
} {
  return { items: [{ sku, quantity: 1 }], paymentMethod: 'tok_visa' };
}
