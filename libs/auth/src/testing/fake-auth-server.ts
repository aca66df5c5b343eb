import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createTestSigningKey, type TestSigningKey } from './token-factory';

/** An HTTP server standing in for the auth service's key set, for services that verify its tokens. */
export interface FakeAuthServer {
  /** The base URL, as the services' AUTH_URL takes it. */
  url: string;
  signingKey: TestSigningKey;
  /** An access token for `sub` with `roles` (a customer's by default), as the auth service mints it. */
  tokenFor(sub: string, roles?: string[]): Promise<string>;
  close(): Promise<void>;
}

/** Publishes a fresh test key at `/.well-known/jwks.json`, as the auth service does; every other path is 404. */
export async function startFakeAuthServer(kid = 'test-key-1'): Promise<FakeAuthServer> {
  const signingKey = await createTestSigningKey(kid);
  const server = createServer((request, response) => {
    if (request.url !== '/.well-known/jwks.json') return void response.writeHead(404).end();
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(JSON.stringify({ keys: [signingKey.publicJwk] }));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    signingKey,
    tokenFor: (sub, roles = ['customer']) => signingKey.sign({ sub, roles }),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
