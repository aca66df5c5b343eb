import { ProblemException } from '@platform/http';
import { allowedMethodsOf, methodNotAllowed, resolvePath } from './request-path';
import type { Route } from './route-table';

const table: Route[] = [
  {
    upstream: 'auth',
    operations: { '/api/auth/login': ['POST'], '/api/auth/me': ['GET'], '/.well-known/jwks.json': ['GET'] },
  },
  {
    upstream: 'order',
    operations: { '/api/orders': ['GET', 'POST'], '/api/orders/{orderId}/events': ['GET'] },
  },
  { upstream: 'gateway', operations: { '/api/traces/{traceId}': ['GET'] } },
];

describe('resolvePath', () => {
  it.each([
    '/api/auth/login',
    '/api/auth/login/',
    '/api/auth/login?next=/x',
    '/api/auth/me',
    '/.well-known/jwks.json',
  ])('when the path is %s, then it is routed to auth', (target) => {
    expect(resolvePath(target, table)).toMatchObject({ kind: 'routed', upstream: 'auth' });
  });

  it('when a template matches, then the pattern is the template (a bounded metrics label) and the methods are its own', () => {
    expect(resolvePath('/api/orders/3f2a/events?x=1', table)).toEqual({
      kind: 'routed',
      upstream: 'order',
      pattern: '/api/orders/{orderId}/events',
      upstreamTarget: '/api/orders/3f2a/events?x=1',
      methods: ['GET'],
    });
    expect(resolvePath('/api/orders', table)).toMatchObject({
      pattern: '/api/orders',
      methods: ['GET', 'POST'],
    });
  });

  it('when a route rewrites a prefix and names a role, then the target goes upstream under the new prefix, query kept, and the role is required', () => {
    const admin: Route[] = [
      {
        upstream: 'paymentProvider',
        rewrite: { from: '/api/admin/provider', to: '/admin' },
        role: 'admin',
        operations: { '/api/admin/provider/faults': ['GET', 'PUT'] },
      },
    ];
    expect(resolvePath('/api/admin/provider/faults?x=1', admin)).toEqual({
      kind: 'routed',
      upstream: 'paymentProvider',
      pattern: '/api/admin/provider/faults',
      upstreamTarget: '/admin/faults?x=1',
      methods: ['GET', 'PUT'],
      role: 'admin',
    });
  });

  it("when the path is one of the gateway's own operations, then it is its own, with its methods", () => {
    expect(resolvePath('/api/traces/4bf92f3577b34da6a3ce929d0e0e4736', table)).toEqual({
      kind: 'own',
      pattern: '/api/traces/{traceId}',
      methods: ['GET'],
    });
  });

  it.each([
    '/api/authx',
    '/api',
    '/api/auth',
    '/api/auth/users/a%20b',
    '/api/orders/3f2a',
    '/api/orders/3f2a/events/more',
    '/healthz',
    '/metrics',
    '/.well-known/jwks.json/x',
    '/API/auth/login',
    '/api/traces/',
  ])('when the path is %s, then no operation has it and it is not routed', (target) => {
    expect(resolvePath(target, table)).toEqual({ kind: 'unrouted' });
  });

  it.each([
    '/api/auth/../healthz',
    '/api/auth/./login',
    '/api/auth/%2e%2e/metrics',
    '/api/auth/%2E%2e%2fmetrics',
    '/api/auth/%252e%252e/metrics',
    '/api/auth//login',
    '//api/auth/login',
    '/api/auth/..\\metrics',
    '/api/auth/%5c..%5cmetrics',
    '/api/auth/%00',
    '/api/auth/%zz',
    '/api/orders/../events',
    'api/auth/login',
  ])('when the path is %s, then it is refused as unsafe', (target) => {
    expect(resolvePath(target, table)).toEqual({ kind: 'unsafe' });
  });

  it('when dot segments are only in the query, then the path is still routed', () => {
    expect(resolvePath('/api/auth/login?next=../x', table)).toMatchObject({ kind: 'routed' });
  });
});

describe('a method the path does not answer', () => {
  it('when the path answers GET, then HEAD is allowed too', () => {
    expect(allowedMethodsOf(['GET', 'POST'])).toEqual(['GET', 'POST', 'HEAD']);
    expect(allowedMethodsOf(['POST'])).toEqual(['POST']);
  });

  it('then the answer is a 405 method-not-allowed problem whose Allow header lists what the path answers', () => {
    const refusal = methodNotAllowed('TRACE', ['GET']);
    expect(refusal).toBeInstanceOf(ProblemException);
    expect(refusal.problem).toMatchObject({
      status: 405,
      type: 'method-not-allowed',
      headers: { Allow: 'GET, HEAD' },
    });
  });
});
