import { startFakeAuthServer } from '@platform/auth/testing';
import { listenOnEphemeralPort, type RunningApp } from '@platform/testing';
import { createApp, loadInventoryConfig } from '../../src';

export interface Reply {
  status: number;
  headers: Headers;
  body: any; // eslint-disable-line @typescript-eslint/no-explicit-any -- tests read whatever JSON came back
}

/** The auth service's key set as the inventory fetches it, with a test key that mints admin and customer tokens. */
export interface TestIssuer {
  url: string;
  adminToken(): Promise<string>;
  customerToken(): Promise<string>;
  close(): Promise<void>;
}

export async function startTestIssuer(): Promise<TestIssuer> {
  const auth = await startFakeAuthServer('inventory-test-key');
  return {
    url: auth.url,
    adminToken: () => auth.tokenFor('admin-1', ['admin']),
    customerToken: () => auth.tokenFor('customer-1'),
    close: () => auth.close(),
  };
}

/** The inventory service in the embedded profile on an ephemeral port, as a component test starts it. */
export async function startEmbeddedInventory(
  authUrl: string,
  env: NodeJS.ProcessEnv = {},
): Promise<RunningApp> {
  return listenOnEphemeralPort(
    await createApp(
      loadInventoryConfig({ LOG_LEVEL: 'silent', PROFILE: 'embedded', AUTH_URL: authUrl, ...env }),
    ),
  );
}

/** Real HTTP calls to the inventory service. */
export class InventoryClient {
  constructor(private readonly baseUrl: string) {}

  get(path: string, headers: Record<string, string> = {}): Promise<Reply> {
    return this.call(path, { method: 'GET', headers });
  }

  post(path: string, body: unknown, headers: Record<string, string> = {}): Promise<Reply> {
    return this.call(path, {
      method: 'POST',
      body: typeof body === 'string' ? body : JSON.stringify(body),
      headers: { 'content-type': 'application/json', ...headers },
    });
  }

  asAdmin(token: string) {
    const bearer = { authorization: `Bearer ${token}` };
    return {
      createProduct: (body: unknown) => this.post('/api/products', body, bearer),
      restock: (sku: string, body: unknown) =>
        this.post(`/api/products/${encodeURIComponent(sku)}/restock`, body, bearer),
    };
  }

  product(sku: string): Promise<Reply> {
    return this.get(`/api/products/${encodeURIComponent(sku)}`);
  }

  private async call(path: string, init: RequestInit & { headers: Record<string, string> }): Promise<Reply> {
    const response = await fetch(`${this.baseUrl}${path}`, init);
    const text = await response.text();
    return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : undefined };
  }
}

export function aNewProduct(overrides: Record<string, unknown> = {}) {
  return {
    sku: `SKU-${Math.random().toString(36).slice(2, 12)}`,
    name: 'Oolong tea, 50 g',
    priceCents: 890,
    initialStock: 12,
    ...overrides,
  };
}
