import type { JWK } from 'jose';
import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AccessTokenVerifier, InvalidAccessTokenError } from '../src';
import { KeySetUnavailableError } from '../src/key-set-unavailable.error';
import {
  TEST_AUDIENCE,
  TEST_ISSUER,
  type TestSigningKey,
  createTestSigningKey,
} from '../src/testing/token-factory';

/** A stand-in for the auth service's `/.well-known/jwks.json` that counts how often it is asked. */
interface FakeJwksEndpoint {
  url: string;
  published: JWK[];
  /** How the endpoint answers: with the key set, with a 500, or not at all. */
  behaviour: 'serve' | 'fail' | 'hang';
  requests: number;
  close(): Promise<void>;
}

async function startFakeJwksEndpoint(): Promise<FakeJwksEndpoint> {
  let server: Server | undefined = undefined;
  const endpoint: FakeJwksEndpoint = {
    url: '',
    published: [],
    behaviour: 'serve',
    requests: 0,
    close: () =>
      new Promise((resolve) => (server ? server.close(() => resolve()).closeAllConnections() : resolve())),
  };
  server = createServer((request, response) => {
    endpoint.requests += 1;
    if (endpoint.behaviour === 'hang') return;
    if (endpoint.behaviour === 'fail') return void response.writeHead(500).end();
    response
      .writeHead(200, { 'content-type': 'application/json' })
      .end(JSON.stringify({ keys: endpoint.published }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  endpoint.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/.well-known/jwks.json`;
  return endpoint;
}

// jose's refetch cooldown (30 s) and cache age (10 min) are read from Date; only Date is faked, so
// the HTTP server, sockets and fetch timeouts keep real time.
const COOLDOWN_MS = 30_000;
const passTime = (ms: number) => jest.setSystemTime(Date.now() + ms);

describe('AccessTokenVerifier reading the auth service JWKS over HTTP', () => {
  let endpoint: FakeJwksEndpoint;
  let currentKey: TestSigningKey;
  let rotatedKey: TestSigningKey;
  let unpublishedKey: TestSigningKey;
  let verifier: AccessTokenVerifier;

  beforeAll(async () => {
    endpoint = await startFakeJwksEndpoint();
    [currentKey, rotatedKey, unpublishedKey] = await Promise.all([
      createTestSigningKey('current'),
      createTestSigningKey('rotated-in'),
      createTestSigningKey('never-published'),
    ]);
  });
  afterAll(() => endpoint.close());

  beforeEach(() => {
    jest.useFakeTimers({
      now: Date.now(),
      doNotFake: [
        'hrtime',
        'nextTick',
        'performance',
        'queueMicrotask',
        'setImmediate',
        'clearImmediate',
        'setInterval',
        'clearInterval',
        'setTimeout',
        'clearTimeout',
      ],
    });
    endpoint.published = [currentKey.publicJwk];
    endpoint.behaviour = 'serve';
    endpoint.requests = 0;
    verifier = new AccessTokenVerifier({
      issuer: TEST_ISSUER,
      audience: TEST_AUDIENCE,
      jwks: { url: endpoint.url },
    });
  });
  afterEach(() => jest.useRealTimers());

  describe('when tokens signed with a published key arrive', () => {
    it('then they verify and the key set is fetched once, then cached', async () => {
      for (const sub of ['a', 'b', 'c'])
        await expect(verifier.verify(await currentKey.sign({ sub }))).resolves.toMatchObject({ id: sub });
      expect(endpoint.requests).toBe(1);
    });
  });

  describe('when tokens name a kid the key set does not have', () => {
    it('then within the cooldown after a fetch they are refused without another fetch', async () => {
      await verifier.verify(await currentKey.sign());
      for (let attempt = 0; attempt < 5; attempt += 1) {
        await expect(verifier.verify(await unpublishedKey.sign())).rejects.toBeInstanceOf(
          InvalidAccessTokenError,
        );
      }
      expect(endpoint.requests).toBe(1);
    });

    it('then after the cooldown a burst of them triggers exactly one refetch', async () => {
      await verifier.verify(await currentKey.sign());
      passTime(COOLDOWN_MS + 1000);
      const burst = await Promise.all(
        Array.from({ length: 5 }, async () =>
          verifier.verify(await unpublishedKey.sign()).catch((error: unknown) => error),
        ),
      );
      for (let attempt = 0; attempt < 5; attempt += 1) {
        await expect(verifier.verify(await unpublishedKey.sign())).rejects.toBeInstanceOf(
          InvalidAccessTokenError,
        );
      }
      expect(burst.every((outcome) => outcome instanceof InvalidAccessTokenError)).toBe(true);
      expect(endpoint.requests).toBe(2);
    });
  });

  describe('when the auth service rotates in a second key', () => {
    it('then a token signed with the new key verifies after one refetch, and the old key still verifies', async () => {
      await verifier.verify(await currentKey.sign());
      endpoint.published = [currentKey.publicJwk, rotatedKey.publicJwk];
      passTime(COOLDOWN_MS + 1000);

      await expect(verifier.verify(await rotatedKey.sign({ sub: 'new' }))).resolves.toMatchObject({
        id: 'new',
      });
      await expect(verifier.verify(await currentKey.sign({ sub: 'old' }))).resolves.toMatchObject({
        id: 'old',
      });
      expect(endpoint.requests).toBe(2);
    });
  });

  describe('when the JWKS endpoint answers with an error', () => {
    it('then verify throws KeySetUnavailableError: the token is not at fault', async () => {
      endpoint.behaviour = 'fail';
      await expect(verifier.verify(await currentKey.sign())).rejects.toBeInstanceOf(KeySetUnavailableError);
    });
  });

  describe('when the JWKS endpoint does not answer', () => {
    it('then verify gives up after its timeout with KeySetUnavailableError', async () => {
      endpoint.behaviour = 'hang';
      // Without a timeout of its own the verification would hang past this test's 10 s limit.
      await expect(verifier.verify(await currentKey.sign())).rejects.toBeInstanceOf(KeySetUnavailableError);
    }, 10_000);
  });
});
