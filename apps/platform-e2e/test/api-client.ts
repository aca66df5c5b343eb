import { randomUUID } from 'node:crypto';
import { request } from 'undici';

export const customerPassword = 'correct horse battery staple';
export const adminCredentials = { email: 'admin@platform.local', password: 'platform-admin-password' };

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE';

export interface ApiAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  /** The body parsed as JSON; undefined when empty. */
  body: any; // eslint-disable-line @typescript-eslint/no-explicit-any -- tests read any shape and assert on it
  text: string;
}

export interface CallOptions {
  body?: unknown;
  /** Sent as is, e.g. to send a body that is not the JSON of `body`. */
  rawBody?: string;
  token?: string;
  headers?: Record<string, string>;
}

/** A real HTTP client (undici) talking to one base URL, as a client of the platform does. */
export class ApiClient {
  constructor(readonly baseUrl: string) {}

  async call(method: HttpMethod, path: string, options: CallOptions = {}): Promise<ApiAnswer> {
    const headers: Record<string, string> = { ...options.headers };
    const body = options.rawBody ?? (options.body === undefined ? undefined : JSON.stringify(options.body));
    if (body !== undefined) headers['content-type'] ??= 'application/json';
    if (options.token) headers['authorization'] = `Bearer ${options.token}`;
    const response = await request(`${this.baseUrl}${path}`, {
      method,
      headers,
      ...(body !== undefined ? { body } : {}),
    });
    const text = await response.body.text();
    return { status: response.statusCode, headers: response.headers, body: parsed(text), text };
  }

  async login(email: string, password: string): Promise<string> {
    const answer = await this.call('POST', '/api/auth/login', { body: { email, password } });
    if (answer.status !== 200) throw new Error(`login of ${email} answered ${answer.status}: ${answer.text}`);
    return answer.body.accessToken as string;
  }

  /** Registers a new customer and logs them in. */
  async newCustomer(name = 'Grace Hopper'): Promise<Customer> {
    const email = `customer-${randomUUID()}@example.com`;
    const registered = await this.call('POST', '/api/auth/register', {
      body: { email, password: customerPassword, name },
    });
    if (registered.status !== 201)
      throw new Error(`registration answered ${registered.status}: ${registered.text}`);
    return { id: registered.body.id as string, email, token: await this.login(email, customerPassword) };
  }
}

export interface Customer {
  id: string;
  email: string;
  token: string;
}

function parsed(text: string): unknown {
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
