import { createApp, loadAuthConfig } from '../../src';
import { listenOnEphemeralPort, type RunningApp } from '@platform/testing';
import { anAddress } from './builders';

export interface Reply {
  status: number;
  headers: Headers;
  body: any; // eslint-disable-line @typescript-eslint/no-explicit-any -- tests read whatever JSON came back
}

/** The auth service in the embedded profile on an ephemeral port, as a component test starts it. */
export async function startEmbeddedAuth(env: NodeJS.ProcessEnv = {}): Promise<RunningApp> {
  return listenOnEphemeralPort(
    await createApp(loadAuthConfig({ LOG_LEVEL: 'silent', PROFILE: 'embedded', ...env })),
  );
}

/** Real HTTP calls to the auth service, from one client address (X-Forwarded-For, as the gateway sets it). */
export class AuthClient {
  constructor(
    private readonly baseUrl: string,
    readonly address: string = anAddress(),
  ) {}

  post(path: string, body: unknown, headers: Record<string, string> = {}): Promise<Reply> {
    return this.call(path, {
      method: 'POST',
      body: JSON.stringify(body),
      headers: { 'content-type': 'application/json', ...headers },
    });
  }

  get(path: string, headers: Record<string, string> = {}): Promise<Reply> {
    return this.call(path, { method: 'GET', headers });
  }

  register(registration: { email: string; password: string; name: string }): Promise<Reply> {
    return this.post('/api/auth/register', registration);
  }

  /** Sends only email and password, so a registration can be passed as it is. */
  login(credentials: { email: string; password: string }): Promise<Reply> {
    return this.post('/api/auth/login', { email: credentials.email, password: credentials.password });
  }

  refresh(refreshToken: string): Promise<Reply> {
    return this.post('/api/auth/refresh', { refreshToken });
  }

  logout(refreshToken: string): Promise<Reply> {
    return this.post('/api/auth/logout', { refreshToken });
  }

  me(accessToken: string): Promise<Reply> {
    return this.get('/api/auth/me', { authorization: `Bearer ${accessToken}` });
  }

  /** Registers and logs in; returns the registration and the token pair. */
  async registeredAndLoggedIn(registration: { email: string; password: string; name: string }) {
    const registered = await this.register(registration);
    if (registered.status !== 201) throw new Error(`register answered ${registered.status}`);
    const loggedIn = await this.login(registration);
    if (loggedIn.status !== 200) throw new Error(`login answered ${loggedIn.status}`);
    return { user: registered.body, tokens: loggedIn.body as { accessToken: string; refreshToken: string } };
  }

  private async call(path: string, init: RequestInit & { headers: Record<string, string> }): Promise<Reply> {
    const response = await fetch(`${this.baseUrl}${path}`, {
      ...init,
      headers: { 'x-forwarded-for': this.address, ...init.headers },
    });
    const text = await response.text();
    return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : undefined };
  }
}
