/**
 * The public API as the page uses it: same origin (the gateway serves this page), bearer access
 * tokens kept for the tab (sessionStorage), problem+json errors turned into `ApiError`s.
 */
export interface Session {
  accessToken: string;
  refreshToken: string;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly type: string,
    message: string,
  ) {
    super(message);
  }
}

const sessionKey = 'storefront.session';

export function storedSession(): Session | undefined {
  const stored = sessionStorage.getItem(sessionKey);
  return stored ? (JSON.parse(stored) as Session) : undefined;
}

export function keepSession(session: Session | undefined): void {
  if (session) sessionStorage.setItem(sessionKey, JSON.stringify(session));
  else sessionStorage.removeItem(sessionKey);
}

export interface ApiResponse<T> {
  body: T;
  headers: Headers;
}

/** Calls the API; a 401 with a refresh token rotates the pair once and retries. */
export async function call<T>(
  method: string,
  path: string,
  options: CallOptions = {},
): Promise<ApiResponse<T>> {
  const response = await send(method, path, options);
  if (response.status === 401 && options.auth !== false && (await refreshed()))
    return parse<T>(await send(method, path, options));
  return parse<T>(response);
}

export interface CallOptions {
  body?: unknown;
  headers?: Record<string, string>;
  /** false: send no Authorization header (sign-in, register). */
  auth?: boolean;
  signal?: AbortSignal;
}

export function send(method: string, path: string, options: CallOptions = {}): Promise<Response> {
  const headers: Record<string, string> = { accept: 'application/json', ...options.headers };
  const session = storedSession();
  if (options.auth !== false && session) headers['authorization'] = `Bearer ${session.accessToken}`;
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  const init: RequestInit = { method, headers };
  if (options.body !== undefined) init.body = JSON.stringify(options.body);
  if (options.signal) init.signal = options.signal;
  return fetch(path, init);
}

async function parse<T>(response: Response): Promise<ApiResponse<T>> {
  const text = await response.text();
  const body = text ? (JSON.parse(text) as unknown) : undefined;
  if (!response.ok) {
    const problem = (body ?? {}) as { type?: string; title?: string; detail?: string };
    throw new ApiError(
      response.status,
      problem.type ?? 'about:blank',
      problem.detail ?? problem.title ?? `HTTP ${response.status}`,
    );
  }
  return { body: body as T, headers: response.headers };
}

async function refreshed(): Promise<boolean> {
  const session = storedSession();
  if (!session) return false;
  const response = await send('POST', '/api/auth/refresh', {
    auth: false,
    body: { refreshToken: session.refreshToken },
  });
  if (!response.ok) {
    keepSession(undefined);
    return false;
  }
  keepSession((await response.json()) as Session);
  return true;
}

/** A fresh Idempotency-Key (crypto.randomUUID needs a secure context; 127.0.0.1 and localhost are). */
export function newIdempotencyKey(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  return Array.from(crypto.getRandomValues(new Uint8Array(16)), (byte) =>
    byte.toString(16).padStart(2, '0'),
  ).join('');
}
