import { Controller, Get, Module, NotFoundException, Param } from '@nestjs/common';
import { ObservabilityModule } from '@platform/observability';
import { createHttpApp } from '@platform/http';
import { listenOnEphemeralPort, type RunningApp } from '@platform/testing';
import type { JWK } from 'jose';
import {
  AuthModule,
  Authenticated,
  type AuthenticatedUser,
  CurrentUser,
  Roles,
  assertOwnerOrAdmin,
} from '../src';
import {
  TEST_AUDIENCE,
  TEST_ISSUER,
  type TestSigningKey,
  createTestSigningKey,
  hmacTokenSignedWithPublicKey,
  tamperedToken,
  unsignedToken,
} from '../src/testing/token-factory';

const orders = new Map([['order-of-alice', { id: 'order-of-alice', ownerId: 'alice' }]]);

@Controller('orders')
@Authenticated()
class OrdersController {
  @Get('mine')
  mine(@CurrentUser() user: AuthenticatedUser) {
    return user;
  }

  @Get(':id')
  find(@CurrentUser() user: AuthenticatedUser, @Param('id') id: string) {
    const order = orders.get(id);
    if (!order) throw new NotFoundException();
    assertOwnerOrAdmin(user, order.ownerId);
    return order;
  }
}

@Controller('admin')
class AdminController {
  @Get('report')
  @Roles('admin')
  report(@CurrentUser() user: AuthenticatedUser) {
    return { preparedFor: user.id };
  }
}

@Controller('audit')
@Roles('admin')
class AuditController {
  @Get('log')
  @Roles('auditor')
  log() {
    return { entries: [] };
  }
}

/** The keys the fake auth service publishes; a test may make them unobtainable. */
const keyStore = { keys: [] as JWK[], reachable: true };

@Module({
  imports: [
    ObservabilityModule.forRoot({ serviceName: 'auth-guards-test', logLevel: 'silent' }),
    AuthModule.forRoot({
      issuer: TEST_ISSUER,
      audience: TEST_AUDIENCE,
      jwks: {
        local: async () => {
          if (!keyStore.reachable) throw new Error('key store unreachable');
          return { keys: keyStore.keys };
        },
      },
    }),
  ],
  controllers: [OrdersController, AdminController, AuditController],
})
class GuardedModule {}

const problemJson = 'application/problem+json; charset=utf-8';

describe('routes guarded by @Authenticated, @Roles and assertOwnerOrAdmin', () => {
  let server: RunningApp;
  let key: TestSigningKey;
  let strangerKey: TestSigningKey;
  let aliceToken: string;
  let bobToken: string;
  let adminToken: string;

  beforeAll(async () => {
    [key, strangerKey] = await Promise.all([
      createTestSigningKey('auth-key'),
      createTestSigningKey('auth-key'),
    ]);
    keyStore.keys = [key.publicJwk];
    [aliceToken, bobToken, adminToken] = await Promise.all([
      key.sign({ sub: 'alice', roles: ['customer'] }),
      key.sign({ sub: 'bob', roles: ['customer'] }),
      key.sign({ sub: 'root', roles: ['admin'] }),
    ]);
    server = await listenOnEphemeralPort(await createHttpApp(GuardedModule));
  });
  afterAll(() => server.close());
  afterEach(() => {
    keyStore.reachable = true;
  });

  const get = (path: string, authorization?: string) =>
    fetch(`${server.baseUrl}${path}`, { headers: authorization ? { authorization } : {} });

  describe('when no access token is sent', () => {
    it('then it answers 401 problem+json with WWW-Authenticate: Bearer', async () => {
      const response = await get('/orders/mine');
      expect(response.status).toBe(401);
      expect(response.headers.get('www-authenticate')).toBe('Bearer');
      expect(response.headers.get('content-type')).toBe(problemJson);
      expect(await response.json()).toMatchObject({
        status: 401,
        title: 'Unauthorized',
        instance: '/orders/mine',
      });
    });

    it('then another scheme (Basic) counts as no token', async () => {
      const response = await get('/orders/mine', `Basic ${Buffer.from('alice:secret').toString('base64')}`);
      expect(response.status).toBe(401);
      expect(response.headers.get('www-authenticate')).toBe('Bearer');
    });
  });

  describe('when the access token is forged, expired or malformed', () => {
    const forgeries: [string, () => Promise<string>][] = [
      ['unsigned (alg: none)', async () => unsignedToken({ sub: 'alice', roles: ['admin'] }, key.kid)],
      [
        'HS256 with the public key as secret',
        () => hmacTokenSignedWithPublicKey(key.publicJwk, 'jwk-json', { roles: ['admin'] }),
      ],
      ['signed by a stranger under the published kid', () => strangerKey.sign({ roles: ['admin'] })],
      ['tampered to claim admin', async () => tamperedToken(aliceToken, { roles: ['admin'] })],
      [
        'expired',
        () =>
          key.sign({ iat: Math.floor(Date.now() / 1000) - 3600, exp: Math.floor(Date.now() / 1000) - 60 }),
      ],
      ['not a JWT', async () => 'garbage'],
    ];

    it.each(forgeries)('then a token %s answers 401 with error="invalid_token"', async (_, forge) => {
      const response = await get('/orders/mine', `Bearer ${await forge()}`);
      expect(response.status).toBe(401);
      expect(response.headers.get('www-authenticate')).toBe('Bearer error="invalid_token"');
      expect(response.headers.get('content-type')).toBe(problemJson);
    });

    it('then every kind gets the same detail, so the client learns nothing about why', async () => {
      const details = new Set<unknown>();
      for (const [, forge] of forgeries)
        details.add(
          ((await (await get('/orders/mine', `Bearer ${await forge()}`)).json()) as { detail: unknown })
            .detail,
        );
      expect(details.size).toBe(1);
    });
  });

  describe('when the access token is valid', () => {
    it('then the handler runs with the user the token names', async () => {
      const response = await get('/orders/mine', `Bearer ${aliceToken}`);
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({ id: 'alice', roles: ['customer'] });
    });

    it('then the Bearer scheme is accepted in any case', async () => {
      expect((await get('/orders/mine', `bearer ${aliceToken}`)).status).toBe(200);
    });
  });

  describe('when a route requires the admin role', () => {
    it('then a customer gets 403 problem+json', async () => {
      const response = await get('/admin/report', `Bearer ${aliceToken}`);
      expect(response.status).toBe(403);
      expect(response.headers.get('content-type')).toBe(problemJson);
      expect(await response.json()).toMatchObject({ status: 403, title: 'Forbidden' });
    });

    it('then an admin gets 200', async () => {
      const response = await get('/admin/report', `Bearer ${adminToken}`);
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({ preparedFor: 'root' });
    });

    it('then a caller without a token gets 401, not 403', async () => {
      expect((await get('/admin/report')).status).toBe(401);
    });
  });

  describe('when both the controller and the handler require roles', () => {
    it.each([
      [['admin'], 403],
      [['auditor'], 403],
      [['admin', 'auditor'], 200],
    ])(
      'then a caller with roles %j gets %i: the handler narrows the controller, never widens it',
      async (roles, status) => {
        expect((await get('/audit/log', `Bearer ${await key.sign({ roles })}`)).status).toBe(status);
      },
    );
  });

  describe('when a resource belongs to another user', () => {
    it('then the owner gets it', async () => {
      const response = await get('/orders/order-of-alice', `Bearer ${aliceToken}`);
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({ id: 'order-of-alice', ownerId: 'alice' });
    });

    it('then another customer gets the same 404 as for a resource that does not exist', async () => {
      const othersResponse = await get('/orders/order-of-alice', `Bearer ${bobToken}`);
      const missingResponse = await get('/orders/no-such-order', `Bearer ${bobToken}`);
      expect(othersResponse.status).toBe(404);
      expect(missingResponse.status).toBe(404);
      const {
        instance: _othersInstance,
        traceId: _othersTrace,
        ...others
      } = (await othersResponse.json()) as Record<string, unknown>;
      const {
        instance: _missingInstance,
        traceId: _missingTrace,
        ...missing
      } = (await missingResponse.json()) as Record<string, unknown>;
      expect(others).toEqual(missing);
    });

    it('then an admin gets it', async () => {
      const response = await get('/orders/order-of-alice', `Bearer ${adminToken}`);
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({ id: 'order-of-alice', ownerId: 'alice' });
    });
  });

  describe('when the public keys cannot be obtained', () => {
    it('then it answers 503 with Retry-After rather than calling a valid token invalid', async () => {
      keyStore.reachable = false;
      const response = await get('/orders/mine', `Bearer ${aliceToken}`);
      expect(response.status).toBe(503);
      expect(response.headers.get('retry-after')).toBe('5');
      expect(response.headers.get('www-authenticate')).toBeNull();
    });
  });
});
